/**
 * Public shapes of the cache layer. The cache keeps FHIR search results (and paging state) so that paging and
 * repeated reads do not query the national XCA gateways (ITI-38) again. Everything it stores is encrypted and every
 * key is an HMAC, so Redis never holds anything readable as patient data.
 */

/** Settings for {@link createCache}. With neither `redisUrl` nor `redisClusterNodes` the cache is in-process. */
export interface CacheOptions {
  /** Standalone Redis, e.g. `redis://127.0.0.1:6379` (or `rediss://` for TLS). */
  redisUrl?: string;
  /** Redis Cluster seed nodes as `host:port`. */
  redisClusterNodes?: string[];
  /** Prefix of every key written; default `mxf:`. */
  keyPrefix?: string;
  /** Default time to live of an entry, in seconds (fractions allowed). */
  ttlSeconds: number;
  /** HMAC-SHA256 secret for key names (at least 32 characters). Required with Redis; random per process otherwise. */
  keySecret?: string;
  /** AES-256-GCM key as 64 hex characters. Required with Redis; random per process otherwise. */
  encryptionKey?: string;
  /**
   * Life of a single-flight lock, in ms, default 10 000. Its holder extends it every third of that while it produces,
   * so this bounds how long a CRASHED holder keeps the others waiting, not how long a producer may take.
   */
  lockTtlMs?: number;
  /** Longest a single Redis command may take before the cache treats it as a miss; default 100 ms. */
  commandTimeoutMs?: number;
  /** In-memory backend only: most entries kept; default 10 000. */
  memoryMaxEntries?: number;
  /** In-memory backend only: most bytes (sum of encrypted entry sizes) kept; default 64 MiB. */
  memoryMaxBytes?: number;
}

/** Where entries live. */
export type CacheBackend = 'memory' | 'redis' | 'redis-cluster';

/** `degraded` means Redis is unreachable, slow or failing: calls still succeed, without caching. */
export type CacheState = 'ok' | 'degraded';

/** What {@link Cache.status} reports (e.g. on `/_status`). */
export interface CacheStatus {
  backend: CacheBackend;
  state: CacheState;
}

/** Options of {@link Cache.singleFlight}. */
export interface SingleFlightOptions {
  /** Time to live of the produced entry; default the cache's `ttlSeconds`. */
  ttlSeconds?: number;
  /** Ignore a cached value: produce now and refresh the entry (e.g. a client asking for fresh results). */
  fresh?: boolean;
  /** How long the cross-process lock lives if its holder dies (the holder extends it while alive); default the cache's. */
  lockTtlMs?: number;
  /**
   * Longest a caller waits for another process's result before producing itself, however long the holder keeps its
   * lock alive; default 10 000 ms. A request passes what is left of its deadline.
   */
  maxWaitMs?: number;
}

/** Options of {@link Cache.get}. */
export interface GetOptions {
  /**
   * When the entry is missing but a single-flight producer (in any process) holds its lock, wait for the value it
   * stores rather than answer a miss: a paging cursor read by another replica a moment after the first page went
   * out finds the entry that replica is still writing. Default false.
   */
  awaitProducer?: boolean;
  /** Longest wait for that producer; default 10 000 ms, as singleFlight's. */
  maxWaitMs?: number;
}

/** Result of {@link Cache.singleFlight}: the value, and whether it was read from the cache. */
export interface SingleFlightResult<T> {
  value: T;
  fromCache: boolean;
}

/**
 * The cache. No method ever rejects because of Redis: a Redis failure is a miss (get), a no-op (set, delete) or
 * simply a call to `produce` (singleFlight). Only programming errors reject: a `namespace` not matching
 * /^[A-Za-z0-9_-]{1,64}$/ (RangeError; it is the only readable part of a key) or a non-positive `ttlSeconds`
 * (CacheConfigError). Values must be JSON-serialisable and come back as parsed JSON (a Date becomes a string).
 * Callers coalesced by singleFlight share one value object: treat it as read-only. A value is handed back as soon as
 * it is produced and stored just after; until then, reads in the same process answer that value object as written.
 */
export interface Cache {
  /** The value stored under (namespace, keyMaterial), or undefined on a miss or any failure. */
  get<T>(namespace: string, keyMaterial: string, opts?: GetOptions): Promise<T | undefined>;
  /** Store `value` (JSON) for `ttlSeconds` (default: the cache's). An undefined value is not stored. */
  set(namespace: string, keyMaterial: string, value: unknown, ttlSeconds?: number): Promise<void>;
  /** Remove the entry, if any. */
  delete(namespace: string, keyMaterial: string): Promise<void>;
  /**
   * Read-through with one producer: a hit returns the cached value; otherwise identical concurrent calls share a
   * single `produce`, in this process and (through a Redis lock) across processes. A rejection of `produce` is
   * passed to every waiting caller and nothing is cached.
   */
  singleFlight<T>(
    namespace: string,
    keyMaterial: string,
    produce: () => Promise<T>,
    opts?: SingleFlightOptions,
  ): Promise<SingleFlightResult<T>>;
  /** Backend and health, for readiness reporting. */
  status(): CacheStatus;
  /** Disconnect from Redis (pending calls resolve as misses). Idempotent. */
  close(): Promise<void>;
}
