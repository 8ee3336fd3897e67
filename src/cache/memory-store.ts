import { LRUCache } from 'lru-cache';
import type { ByteStore } from './store';
import type { CacheState } from './types';

/**
 * In-process store for a single replica (and for development): an LRU bounded by entry count and total bytes, with a
 * TTL per entry. Locks are plain entries; with one process, in-process coalescing already does the work, but keeping
 * the same contract means the cache logic is the same for every backend.
 */
export class MemoryStore implements ByteStore {
  readonly backend = 'memory' as const;
  private readonly entries: LRUCache<string, Buffer>;
  private readonly locks = new Map<string, { token: string; expiresAt: number }>();

  constructor(maxEntries: number, maxBytes: number) {
    this.entries = new LRUCache<string, Buffer>({
      max: maxEntries,
      maxSize: maxBytes,
      // Key length counts too: a flood of tiny entries must not escape the byte bound.
      sizeCalculation: (value, key) => Math.max(1, value.length + key.length),
    });
  }

  async get(key: string): Promise<Buffer | undefined> {
    return this.entries.get(key);
  }

  async set(key: string, value: Buffer, ttlMs: number): Promise<void> {
    this.entries.set(key, value, { ttl: ttlMs });
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async acquireLock(key: string, token: string, ttlMs: number): Promise<boolean> {
    if (await this.lockExists(key)) return false;
    this.locks.set(key, { token, expiresAt: Date.now() + ttlMs });
    return true;
  }

  async releaseLock(key: string, token: string): Promise<void> {
    if (this.locks.get(key)?.token === token) this.locks.delete(key);
  }

  async extendLock(key: string, token: string, ttlMs: number): Promise<boolean> {
    const lock = this.locks.get(key);
    if (lock?.token !== token || !(await this.lockExists(key))) return false;
    lock.expiresAt = Date.now() + ttlMs;
    return true;
  }

  async lockExists(key: string): Promise<boolean> {
    const lock = this.locks.get(key);
    if (lock === undefined) return false;
    if (lock.expiresAt > Date.now()) return true;
    this.locks.delete(key);
    return false;
  }

  state(): CacheState {
    return 'ok';
  }

  async close(): Promise<void> {
    this.entries.clear();
    this.locks.clear();
  }
}
