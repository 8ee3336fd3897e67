import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import Redis from 'ioredis';
import pino from 'pino';
import { buildAuditEvent } from '../../../src/audit/build-audit-event';
import { createAuditTrail } from '../../../src/audit/audit-trail';
import { auditOutcome } from '../../../src/audit/outcome';
import { readAuditStream } from '../../../src/audit/redis-mirror';
import { NHS_A, readLines, searchInput, tempFile } from '../../unit/audit/audit-kit';

/** AES-256-GCM as a caller would supply it: nonce | tag | ciphertext. */
const key = randomBytes(32);
function encrypt(plain: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}
function decrypt(sealed: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
}

/** A pino logger whose lines the test can read. */
function capturedLogger() {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(chunk.toString()); done(); } });
  return { logger: pino({ level: 'info' }, sink), lines };
}

let client: Redis;
const streams: string[] = [];
const uniqueStream = () => {
  const name = `test:audit:${randomUUID()}`;
  streams.push(name);
  return name;
};

beforeAll(() => {
  client = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: false, maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  if (streams.length > 0) await client.del(...streams);
  await client.quit();
});

describe('the encrypted Redis stream copy (real Redis on 127.0.0.1:6379)', () => {
  test('every record is XADDed in file order; nothing readable as patient data; decrypts back to the file lines', async () => {
    const stream = uniqueStream();
    const file = tempFile();
    const trail = createAuditTrail({ file, redis: { client, stream, encrypt, decrypt } });
    const id = await trail.recordIntent(buildAuditEvent(searchInput(NHS_A)));
    await trail.recordOutcome(id, buildAuditEvent(searchInput(NHS_A, { outcome: auditOutcome(200) })));
    await trail.close();

    const raw = await client.xrangeBuffer(stream, '-', '+');
    expect(raw).toHaveLength(2);
    for (const [, fields] of raw) {
      const names = fields.filter((_, i) => i % 2 === 0).map((name) => name.toString());
      expect(names).toEqual(['id', 'phase', 'record']);
      const bytes = Buffer.concat(fields);
      for (const secret of [NHS_A, 'Lovelace', 'AuditEvent', 'nhs-number', Buffer.from(NHS_A).toString('base64').slice(0, 12)]) {
        expect(bytes.includes(Buffer.from(secret))).toBe(false);
      }
    }
    const records = await readAuditStream({ client, stream, decrypt });
    expect(records).toEqual(readLines(file));
    expect(records.map((record) => [record.id, record.phase])).toEqual([[id, 'intent'], [id, 'outcome']]);
  });

  test('MAXLEN trims the stream approximately', async () => {
    const stream = uniqueStream();
    const trail = createAuditTrail({ file: tempFile(), redis: { client, stream, encrypt, decrypt, maxLen: 5 } });
    for (let i = 0; i < 300; i += 1) await trail.recordIntent(buildAuditEvent(searchInput(NHS_A, { requestId: `r${i}` })));
    await trail.close();
    expect(await client.xlen(stream)).toBeLessThan(300);
  });

  test('Redis down: the request is still audited in the file, and the warning names no patient', async () => {
    const down = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    down.on('error', () => undefined);
    const { logger, lines } = capturedLogger();
    const file = tempFile();
    const trail = createAuditTrail({ file, logger, redis: { client: down, stream: uniqueStream(), encrypt, decrypt } });
    const id = await trail.recordIntent(buildAuditEvent(searchInput(NHS_A)));
    await trail.close();
    expect(readLines(file).map((line) => line.id)).toEqual([id]);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ level: 40, auditId: id, msg: 'audit record not mirrored to Redis (the audit file holds it)' });
    expect(lines.join('')).not.toContain(NHS_A);
    expect(lines.join('')).not.toContain('Lovelace');
    down.disconnect();
  });

  test('a failing encrypt is logged and skipped; the file still has the record', async () => {
    const { logger, lines } = capturedLogger();
    const file = tempFile();
    const broken = () => { throw new Error('key unavailable'); };
    const trail = createAuditTrail({ file, logger, redis: { client, stream: uniqueStream(), encrypt: broken, decrypt } });
    await trail.recordIntent(buildAuditEvent(searchInput(NHS_A)));
    await trail.close();
    expect(readLines(file)).toHaveLength(1);
    expect(lines.join('')).toContain('could not be encrypted');
    expect(lines.join('')).not.toContain(NHS_A);
  });
});
