import type { CacheBackend, CacheState } from './types';

/**
 * The byte store under the cache: Redis (standalone or cluster) or an in-process LRU. Keys arrive already HMAC'd and
 * values already encrypted, so a store never sees patient data. Methods reject with {@link StoreUnavailableError}
 * when the backend cannot answer (down, slow, failing); the cache turns that into a miss or a no-op.
 */
export interface ByteStore {
  readonly backend: CacheBackend;
  /** The stored bytes, or undefined when absent. Bytes that are not a string value count as absent (and are removed). */
  get(key: string): Promise<Buffer | undefined>;
  /** Store `value` for `ttlMs` milliseconds. */
  set(key: string, value: Buffer, ttlMs: number): Promise<void>;
  /** Remove `key` if present. */
  delete(key: string): Promise<void>;
  /** SET key token NX PX ttlMs: true when this caller now holds the lock. */
  acquireLock(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Delete the lock only if it still holds `token` (a holder whose lock expired must not free another's). */
  releaseLock(key: string, token: string): Promise<void>;
  /** Give the lock `ttlMs` more from now if it still holds `token`: true when it did (the holder still holds it). */
  extendLock(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Whether a lock (any holder) exists. */
  lockExists(key: string): Promise<boolean>;
  /** Current health. */
  state(): CacheState;
  /** Release connections. */
  close(): Promise<void>;
}

/** The backend could not serve a command; `reason` is a short, data-free label (e.g. 'timeout', 'ECONNREFUSED'). */
export class StoreUnavailableError extends Error {
  readonly reason: string;

  constructor(reason: string) {
    super(`cache store unavailable: ${reason}`);
    this.name = 'StoreUnavailableError';
    this.reason = reason;
  }
}
