import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAppendLog, DEFERRED_SYNC_MS, rotatedFiles } from '../../../src/audit/append-log';

/**
 * The audit file's writer, on a real file: what is written when, and which sync each acknowledgement waited for.
 * fs.write / fs.fdatasync are observed (not replaced) to put every write, sync and acknowledgement in one timeline.
 */

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'append-log-'));
});
afterEach(() => jest.restoreAllMocks());

type Event = { kind: 'write'; text: string } | { kind: 'sync' } | { kind: 'ack'; line: string };

function observe(): Event[] {
  const events: Event[] = [];
  const realWrite = fs.write;
  jest.spyOn(fs, 'write').mockImplementation(((fd: number, buffer: Buffer, offset: number, length: number, position: null, cb: (err: Error | null, n: number) => void) => {
    events.push({ kind: 'write', text: buffer.subarray(offset, offset + length).toString('utf8') });
    return (realWrite as unknown as (...args: unknown[]) => void)(fd, buffer, offset, length, position, cb);
  }) as unknown as typeof fs.write);
  const realSync = fs.fdatasync;
  jest.spyOn(fs, 'fdatasync').mockImplementation(((fd: number, cb: (err: Error | null) => void) => {
    events.push({ kind: 'sync' });
    realSync(fd, cb);
  }) as typeof fs.fdatasync);
  return events;
}

/** Every acknowledged line was written, and a sync started after its write and before its acknowledgement. */
function expectSyncedBeforeAck(events: readonly Event[]): void {
  for (const [i, event] of events.entries()) {
    if (event.kind !== 'ack') continue;
    const written = events.findIndex((e) => e.kind === 'write' && e.text.includes(`${event.line}\n`));
    expect(written).toBeGreaterThanOrEqual(0);
    expect(written).toBeLessThan(i);
    expect(events.slice(written + 1, i).some((e) => e.kind === 'sync')).toBe(true);
  }
}

test('a sync record is written and synced before it is acknowledged, each batch with one sync', async () => {
  const events = observe();
  const log = createAppendLog(path.join(dir, 'sync.jsonl'));
  await Promise.all(['a', 'b', 'c'].map((line) => log.append(line).then(() => void events.push({ kind: 'ack', line }))));
  await log.close();
  expectSyncedBeforeAck(events);
  expect(events.filter((e) => e.kind === 'ack')).toHaveLength(3);
});

test('deferred records are written at once and share one later sync instead of one each', async () => {
  const events = observe();
  const file = path.join(dir, 'deferred.jsonl');
  const log = createAppendLog(file);
  await log.open();
  const lines = Array.from({ length: 20 }, (_u, i) => `outcome-${i}`);
  const acks: string[] = [];
  const pending = lines.map((line) => log.append(line, 'deferred').then(() => {
    acks.push(line);
    events.push({ kind: 'ack', line });
  }));
  // Written (readable) before any of them is acknowledged.
  while (fs.readFileSync(file, 'utf8').split('\n').length <= lines.length) await new Promise((r) => setImmediate(r));
  expect(acks).toEqual([]);
  await Promise.all(pending);
  expectSyncedBeforeAck(events);
  expect(events.filter((e) => e.kind === 'sync').length).toBeLessThanOrEqual(2);
  expect(acks).toEqual(lines);
  await log.close();
});

test('a sync record also covers the deferred records written before it', async () => {
  const events = observe();
  const log = createAppendLog(path.join(dir, 'mixed.jsonl'));
  await log.open();
  let deferredAcked = false;
  const deferred = log.append('outcome', 'deferred').then(() => {
    deferredAcked = true;
    events.push({ kind: 'ack', line: 'outcome' });
  });
  await new Promise((r) => setImmediate(r));
  await log.append('intent');
  events.push({ kind: 'ack', line: 'intent' });
  // The intent's sync came after the outcome's write: the outcome was acknowledged with it, not DEFERRED_SYNC_MS later.
  expect(deferredAcked).toBe(true);
  await deferred;
  expectSyncedBeforeAck(events);
  expect(events.filter((e) => e.kind === 'sync')).toHaveLength(1);
  await log.close();
});

test('close() syncs what is still deferred before it returns', async () => {
  const events = observe();
  const log = createAppendLog(path.join(dir, 'close.jsonl'));
  const deferred = log.append('last outcome', 'deferred').then(() => void events.push({ kind: 'ack', line: 'last outcome' }));
  await log.close();
  await deferred;
  expectSyncedBeforeAck(events);
  expect(DEFERRED_SYNC_MS).toBeGreaterThan(0);
});

describe('rotation (rotateBytes)', () => {
  it('starts a new file once the current one is full, never splitting a line, keeping every line once and in order', async () => {
    const file = path.join(dir, 'rotating.jsonl');
    const log = createAppendLog(file, { rotateBytes: 100 });
    const lines = Array.from({ length: 60 }, (_u, i) => `{"n":${i},"pad":"${'x'.repeat(i % 7)}"}`);
    for (const [i, line] of lines.entries()) await log.append(line, i % 3 === 0 ? 'deferred' : 'sync');
    // Concurrent appends too: batches are written whole, rotation happens only between them.
    await Promise.all(lines.map((line) => log.append(`${line.slice(0, -1)},"late":true}`)));
    await log.close();
    const rotated = await rotatedFiles(file);
    expect(rotated.length).toBeGreaterThan(3);
    for (const part of rotated) {
      expect(path.basename(part)).toMatch(/^rotating\.jsonl\.\d{8}T\d{9}Z(-\d+)?$/);
      expect((fs.statSync(part).mode & 0o777).toString(8)).toBe('600');
      const text = fs.readFileSync(part, 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      // Full before it was renamed: at least rotateBytes (a file rotates only once it reached the limit).
      expect(Buffer.byteLength(text)).toBeGreaterThanOrEqual(100);
    }
    const all = [...rotated, file].flatMap((f) => fs.readFileSync(f, 'utf8').split('\n').filter((l) => l !== ''));
    expect(all.slice(0, 60)).toEqual(lines);
    expect(all).toHaveLength(120);
    expect(all.every((l) => JSON.parse(l) !== undefined)).toBe(true);
  });

  it('never rotates without rotateBytes', async () => {
    const file = path.join(dir, 'one-file.jsonl');
    const log = createAppendLog(file);
    for (let i = 0; i < 50; i += 1) await log.append(`{"n":${i},"pad":"${'y'.repeat(40)}"}`);
    await log.close();
    expect(await rotatedFiles(file)).toEqual([]);
    expect(fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '')).toHaveLength(50);
  });
});
