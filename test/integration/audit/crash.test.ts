import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildAuditEvent } from '../../../src/audit/build-audit-event';
import { readAuditRecords, searchAudit } from '../../../src/audit/search-audit';
import { projectRoot } from '../../../src/config/paths';
import { NHS_A, searchInput } from '../../unit/audit/audit-kit';
import { compileModule } from './compile-module';

/**
 * Crash safety of the audit file, with the real module in a separate process that is SIGKILLed:
 * - a request that recorded its intent and died before its outcome still shows in the file, intact;
 * - every record acknowledged before the kill is on disk, intact (nothing buffered in the process);
 * - under strace, the record's write() and its fsync() both happen before the acknowledgement is printed.
 */

const CHILD = `
const fs = require('node:fs');
const { createAuditTrail } = require(process.env.AUDIT_MODULE);
const event = JSON.parse(fs.readFileSync(process.env.EVENT_FILE, 'utf8'));
const trail = createAuditTrail({ file: process.env.AUDIT_FILE });
process.stdout.write('PID ' + process.pid + '\\n');
async function main() {
  const count = Number(process.env.RECORDS);
  for (let i = 0; count === 0 || i < count; i += 1) {
    const id = await trail.recordIntent(event);
    process.stdout.write('ACK ' + id + '\\n');
  }
  setInterval(() => undefined, 60000); // the outcome never comes: wait to be killed
}
main();
`;

let dir: string;
let modulePath: string;
let eventFile: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-crash-'));
  modulePath = compileModule('src/audit/audit-trail.ts', path.join(dir, 'build'));
  eventFile = path.join(dir, 'event.json');
  fs.writeFileSync(eventFile, JSON.stringify(buildAuditEvent(searchInput(NHS_A, { startedAt: new Date('2025-06-01T11:59:59Z') }))));
  fs.writeFileSync(path.join(dir, 'child.js'), CHILD);
});

/** Spawn the child (optionally under another command), collecting acknowledged ids as they are printed. */
interface Started {
  /** The process spawned (node itself, or strace running node). */
  readonly child: ChildProcess;
  readonly acks: string[];
  /** The pid of the node process that writes the audit file, once it printed it. */
  nodePid(): number | undefined;
  waitFor(n: number): Promise<void>;
}

function startChild(auditFile: string, records: number, prefix: string[] = []): Started {
  const [command, ...args] = [...prefix, process.execPath, path.join(dir, 'child.js')];
  const child = spawn(command as string, args, {
    env: { ...process.env, NODE_PATH: path.join(projectRoot(), 'node_modules'), AUDIT_MODULE: modulePath, EVENT_FILE: eventFile, AUDIT_FILE: auditFile, RECORDS: String(records) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const acks: string[] = [];
  let pid: number | undefined;
  let buffered = '';
  const waiters: { n: number; resolve: () => void }[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('ACK ')) acks.push(line.slice(4));
      if (line.startsWith('PID ')) pid = Number(line.slice(4));
    }
    for (const waiter of waiters) if (acks.length >= waiter.n) waiter.resolve();
  });
  const waitFor = (n: number) => new Promise<void>((resolve, reject) => {
    if (acks.length >= n) return resolve();
    waiters.push({ n, resolve });
    child.once('exit', () => (acks.length >= n ? resolve() : reject(new Error(`child exited after ${acks.length} acknowledgements`))));
  });
  return { child, acks, waitFor, nodePid: () => pid };
}

/** SIGKILL the node process that writes the audit file (under strace: the tracee, so strace exits with it). */
function kill(started: Started): Promise<void> {
  return new Promise((resolve) => {
    started.child.once('exit', () => resolve());
    process.kill(started.nodePid() ?? (started.child.pid as number), 'SIGKILL');
  });
}

async function records(file: string) {
  const out = [];
  for await (const record of readAuditRecords(file)) out.push(record);
  return out;
}

test('an intent recorded before a SIGKILL is in the file, intact, and searchAudit finds it', async () => {
  const file = path.join(dir, 'single.jsonl');
  const started = startChild(file, 1);
  const { acks } = started;
  await started.waitFor(1);
  await kill(started);
  const text = fs.readFileSync(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  expect((await records(file)).map((record) => [record.id, record.phase])).toEqual([[acks[0], 'intent']]);
  const found = await searchAudit(file, { nhsNumber: NHS_A });
  expect(found.map((event) => event.id)).toEqual(acks);
  expect(found[0]?.outcome).toBeUndefined();
});

test('killed mid-stream: every acknowledged record is on disk and intact, in order', async () => {
  const file = path.join(dir, 'stream.jsonl');
  const started = startChild(file, 0);
  await started.waitFor(200);
  await kill(started);
  const { acks } = started;
  const acknowledged = [...acks];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const onDisk = (await records(file)).map((record) => record.id);
  // Nothing acknowledged is missing, and the order is the order of acknowledgement.
  expect(onDisk.slice(0, acknowledged.length)).toEqual(acknowledged);
  // Only the very last line may be unfinished (a write cut short by the kill), and readers skip it.
  const unparseable = lines.filter((line) => line !== '' && !(() => { try { JSON.parse(line); return true; } catch { return false; } })());
  expect(unparseable.length).toBeLessThanOrEqual(1);
  if (unparseable.length === 1) expect(lines[lines.length - 1]).toBe(unparseable[0]);
});

test('strace: the record is written and fsync\'d before it is acknowledged', async () => {
  const version = spawnSync('strace', ['-V']);
  expect(version.error).toBeUndefined(); // strace is one of the tools .ci/run installs
  const file = path.join(dir, 'traced.jsonl');
  const trace = path.join(dir, 'trace.txt');
  const started = startChild(file, 1, ['strace', '-f', '-qq', '-s', '64', '-e', 'trace=write,pwrite64,fsync,fdatasync', '-o', trace]);
  await started.waitFor(1);
  await kill(started); // resolves when strace itself has exited, its output complete
  const { acks } = started;
  const id = acks[0] as string;
  const lines = fs.readFileSync(trace, 'utf8').split('\n');
  const recordWrite = lines.findIndex((line) => /\b(p?write(64)?)\(\d+, "\{\\"id\\":\\"/.test(line) && line.includes(id.slice(0, 20)));
  expect(recordWrite).toBeGreaterThanOrEqual(0);
  const fd = /\((\d+),/.exec(lines[recordWrite] as string)?.[1];
  const fsyncStart = lines.findIndex((line, i) => i > recordWrite && new RegExp(`\\bf(data)?sync\\(${fd}\\b`).test(line));
  const fsyncDone = lines.findIndex((line, i) => i >= fsyncStart && /f(data)?sync(\(\d+\)| resumed>\))\s+= 0/.test(line));
  const ack = lines.findIndex((line) => /\bwrite\(1, "ACK /.test(line));
  expect(fsyncStart).toBeGreaterThan(recordWrite);
  expect(fsyncDone).toBeGreaterThanOrEqual(fsyncStart);
  expect(ack).toBeGreaterThan(fsyncDone);
});
