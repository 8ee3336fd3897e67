import { randomUUID } from 'node:crypto';
import type { AuditEvent } from 'fhir/r4';
import type { Logger } from 'pino';
import { createLogger } from '../log/logger';
import { createAppendLog } from './append-log';
import { createRedisMirror, type RedisAuditOptions, type RedisMirror } from './redis-mirror';
import type { AuditPhase, AuditRecord } from './types';

/**
 * The audit trail: who looked at which patient's records, durable before the answer goes out.
 * A request records its intent before any community is contacted and its outcome after the answer; both are
 * one line each in an append-only JSON-lines file (the regulated audit store: it holds NHS numbers, unlike the
 * application log, which never receives an audit record). recordIntent / recordOutcome resolve only once the line
 * is fsync'd; if it cannot be written they reject with AuditUnavailableError and the request must be refused.
 * A Redis stream, when configured, gets an encrypted copy; it is best effort (see redis-mirror.ts).
 */

export interface AuditTrailOptions {
  /** The JSON-lines file, created with mode 0600 if absent. */
  readonly file: string;
  /** Start a new file once the current one holds this many bytes (the old one is kept, renamed); default never. */
  readonly rotateBytes?: number;
  readonly redis?: RedisAuditOptions;
  /** For Redis failures; defaults to the service logger at warn level. */
  readonly logger?: Logger;
  readonly now?: () => Date;
}

export interface AuditTrail {
  /** Open the file now (call at startup to fail fast); rejects with AuditUnavailableError. */
  ready(): Promise<void>;
  /** Record that a request is about to be served; resolves to the record id once on disk. */
  recordIntent(event: AuditEvent): Promise<string>;
  /** Record how the request `id` ended; resolves once on disk. */
  recordOutcome(id: string, event: AuditEvent): Promise<void>;
  /** Wait for pending writes (file and Redis) and close the file. */
  close(): Promise<void>;
}

/** Create the audit trail writing to `opts.file`. */
export function createAuditTrail(opts: AuditTrailOptions): AuditTrail {
  const log = createAppendLog(opts.file, opts.rotateBytes === undefined ? {} : { rotateBytes: opts.rotateBytes });
  const now = opts.now ?? (() => new Date());
  const mirror: RedisMirror | undefined = opts.redis === undefined ? undefined : createRedisMirror(opts.redis, opts.logger ?? createLogger('warn'));

  async function record(id: string, phase: AuditPhase, event: AuditEvent): Promise<void> {
    const line: AuditRecord = { id, phase, at: now().toISOString(), event: { ...event, id } };
    // An intent is waited on before anything is disclosed: it gets a sync of its own batch. An outcome is written at
    // once and synced with the next batch (at most DEFERRED_SYNC_MS later); its promise still waits for that sync.
    await log.append(JSON.stringify(line), phase === 'intent' ? 'sync' : 'deferred');
    mirror?.push(line);
  }

  return {
    ready: () => log.open(),
    async recordIntent(event) {
      const id = randomUUID();
      await record(id, 'intent', event);
      return id;
    },
    recordOutcome: (id, event) => record(id, 'outcome', event),
    async close() {
      await log.close();
      await mirror?.drain();
    },
  };
}
