import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';

/** Shared by the cache tests (unit and integration): log capture, secrets, key prefixes, clean-up. */

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** One parsed pino line. */
export interface LogRecord {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A pino logger whose lines are parsed into `records` (and kept raw in `raw`, to search for leaks). */
export function captureLogs(): { logger: Logger; records: LogRecord[]; raw: string[] } {
  const records: LogRecord[] = [];
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n').filter((l) => l !== '')) {
        raw.push(line);
        records.push(JSON.parse(line) as LogRecord);
      }
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), records, raw };
}

/** pino's numeric level for warn. */
export const WARN = 40;

/** Fresh secrets as the configuration would pass them. */
export function testSecrets(): { keySecret: string; encryptionKey: string } {
  return { keySecret: randomBytes(24).toString('base64'), encryptionKey: randomBytes(32).toString('hex') };
}

/** A key prefix no other test (file, run or engineer) shares. */
export function uniquePrefix(name: string): string {
  return `mxf-test:${name}:${randomBytes(6).toString('hex')}:`;
}

/** Every key under `prefix` (SCAN, never KEYS). */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    found.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return found;
}

/** Delete every key under `prefix`. */
export async function deleteUnder(redis: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(redis, prefix);
  if (keys.length > 0) await redis.del(...keys);
}

/** Poll `check` every 20 ms until it returns true or `timeoutMs` passes. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

/** A produce function that counts its calls and resolves after `delayMs`. */
export function countingProducer<T>(value: T, delayMs = 50): { produce: () => Promise<T>; calls: () => number } {
  let calls = 0;
  return {
    produce: async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return value;
    },
    calls: () => calls,
  };
}
