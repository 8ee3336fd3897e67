import type { Logger } from 'pino';
import { EncryptedCache } from './cache';
import { CacheHealth } from './health';
import { MemoryStore } from './memory-store';
import { resolveCacheOptions } from './options';
import { connectTimeoutMs, createRedisClient } from './redis-client';
import { RedisStore } from './redis-store';
import type { ByteStore } from './store';
import type { Cache, CacheOptions } from './types';

export type { Cache, CacheBackend, CacheOptions, CacheState, CacheStatus, SingleFlightOptions, SingleFlightResult } from './types';
export { CacheConfigError, CursorError, type CursorErrorReason } from './errors';
export { openCursor, sealCursor } from './cursor';
export { createPageCache, MAX_PAGE_TTL_MS, type PageCache, type PageCacheOptions, type RenderedFrom } from './page-cache';

/**
 * Build the cache. `redisUrl` → standalone Redis, `redisClusterNodes` → Redis Cluster, neither → in-process LRU.
 * Throws {@link CacheConfigError} for a bad setting (e.g. Redis without `keySecret` or `encryptionKey`); after that,
 * no cache call ever rejects because of the backend. The Redis connection starts at once, in the background.
 */
export function createCache(options: CacheOptions, logger: Logger): Cache {
  const resolved = resolveCacheOptions(options);
  let store: ByteStore;
  if (resolved.backend === 'memory') {
    store = new MemoryStore(resolved.memoryMaxEntries, resolved.memoryMaxBytes);
  } else {
    const health = new CacheHealth(logger, resolved.backend);
    store = new RedisStore(createRedisClient(resolved), resolved.backend, health, resolved.commandTimeoutMs, connectTimeoutMs(resolved));
  }
  return new EncryptedCache({
    store,
    keyPrefix: resolved.keyPrefix,
    keySecret: resolved.keySecret,
    encryptionKey: resolved.encryptionKey,
    defaultTtlMs: resolved.ttlMs,
    lockTtlMs: resolved.lockTtlMs,
    logger,
  });
}
