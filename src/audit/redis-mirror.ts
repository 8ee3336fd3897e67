import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AuditRecord } from './types';

/**
 * A copy of every audit record in a Redis stream, for consumers that tail audit events (a SIEM shipper, another
 * instance's reporting). Each entry is XADD'ed with fields `id`, `phase` and `record`, the whole record JSON
 * ENCRYPTED by the caller's `encrypt`: Redis never holds readable patient data.
 * The file is the durable record, not this: a Redis failure is logged (without the record) and never fails or
 * delays a request. Entries are sent in file order on one connection, after the file write succeeded, and the
 * number in flight is bounded so an unreachable Redis cannot grow memory without limit.
 */

export interface RedisAuditOptions {
  readonly client: Redis;
  readonly stream: string;
  readonly encrypt: (plain: Buffer) => Buffer;
  readonly decrypt: (sealed: Buffer) => Buffer;
  /** Approximate stream length cap (XADD MAXLEN ~); unbounded when absent. */
  readonly maxLen?: number;
}

export interface RedisMirror {
  push(record: AuditRecord): void;
  /** Wait for every entry sent so far to be acknowledged or to have failed. */
  drain(): Promise<void>;
}

const MAX_IN_FLIGHT = 1000;

function reason(err: unknown): string {
  // The message only: ioredis errors carry the command's arguments as properties.
  return err instanceof Error ? err.message : 'unknown error';
}

/** Mirror records to `opts.stream`; failures go to `logger` as warnings naming the audit id only. */
export function createRedisMirror(opts: RedisAuditOptions, logger: Logger): RedisMirror {
  const inFlight = new Set<Promise<void>>();
  const trim = opts.maxLen === undefined ? [] : ['MAXLEN', '~', String(opts.maxLen)];

  return {
    push(record: AuditRecord): void {
      if (inFlight.size >= MAX_IN_FLIGHT) {
        logger.warn({ stream: opts.stream, auditId: record.id }, 'audit Redis mirror backlog full: entry not mirrored (the audit file holds it)');
        return;
      }
      let sealed: Buffer;
      try {
        sealed = opts.encrypt(Buffer.from(JSON.stringify(record), 'utf8'));
      } catch (err) {
        logger.error({ stream: opts.stream, auditId: record.id, reason: reason(err) }, 'audit record could not be encrypted for Redis');
        return;
      }
      const sent: Promise<void> = opts.client
        .xadd(opts.stream, ...trim, '*', 'id', record.id, 'phase', record.phase, 'record', sealed)
        .then(
          () => undefined,
          (err: unknown) => {
            logger.warn({ stream: opts.stream, auditId: record.id, reason: reason(err) }, 'audit record not mirrored to Redis (the audit file holds it)');
          },
        )
        .finally(() => inFlight.delete(sent));
      inFlight.add(sent);
    },
    async drain(): Promise<void> {
      await Promise.all([...inFlight]);
    },
  };
}

/** Read back and decrypt up to `count` entries of the stream, oldest first. */
export async function readAuditStream(opts: Pick<RedisAuditOptions, 'client' | 'stream' | 'decrypt'>, count = 1000): Promise<AuditRecord[]> {
  const entries = await opts.client.xrangeBuffer(opts.stream, '-', '+', 'COUNT', count);
  const records: AuditRecord[] = [];
  for (const [, fields] of entries) {
    for (let i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i]?.toString() === 'record') records.push(JSON.parse(opts.decrypt(fields[i + 1] as Buffer).toString('utf8')) as AuditRecord);
    }
  }
  return records;
}
