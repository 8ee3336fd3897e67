import { Cluster, Redis } from 'ioredis';
import { withTimeout } from './timing';
import type { ResolvedCacheOptions } from './options';

/** A standalone or cluster ioredis client: both speak the commands the cache uses. */
export type RedisClient = Redis | Cluster;

/** Reconnect backoff: 50 ms doubling, capped, so a Redis that comes back is used again within about a second. */
const MAX_RECONNECT_DELAY_MS = 1000;

/** Delay before reconnect attempt `times` (1-based). Always a number: the client never gives up reconnecting. */
export function reconnectDelay(times: number): number {
  return Math.min(50 * 2 ** Math.min(Math.max(times - 1, 0), 10), MAX_RECONNECT_DELAY_MS);
}

/** How long connecting may take before it counts as a failure: long enough for TLS, short enough to notice. */
export function connectTimeoutMs(options: ResolvedCacheOptions): number {
  return Math.max(1000, options.commandTimeoutMs * 10);
}

/**
 * Options shared by standalone and cluster nodes. Why each:
 * - commandTimeout: a slow Redis must cost a request at most this long (then it is a miss);
 * - maxRetriesPerRequest 0: a command caught by a disconnect fails at once instead of being replayed later;
 * - connectTimeout: a black-holed Redis is noticed quickly, so the state turns degraded.
 */
function nodeOptions(options: ResolvedCacheOptions): { commandTimeout: number; maxRetriesPerRequest: number; connectTimeout: number; connectionName: string } {
  return {
    commandTimeout: options.commandTimeoutMs,
    maxRetriesPerRequest: 0,
    connectTimeout: connectTimeoutMs(options),
    connectionName: 'mhd-xca-facade-cache',
  };
}

/**
 * Build the ioredis client. `enableOfflineQueue: false` everywhere: while Redis is disconnected, commands fail
 * immediately instead of queueing, so nothing waits on a Redis that is down.
 */
export function createRedisClient(options: ResolvedCacheOptions): RedisClient {
  if (options.backend === 'redis-cluster') {
    return new Cluster(options.clusterNodes, {
      enableOfflineQueue: false,
      clusterRetryStrategy: reconnectDelay,
      slotsRefreshTimeout: connectTimeoutMs(options),
      retryDelayOnClusterDown: 50,
      retryDelayOnFailover: 50,
      redisOptions: nodeOptions(options),
    });
  }
  return new Redis(options.redisUrl ?? '', {
    ...nodeOptions(options),
    enableOfflineQueue: false,
    retryStrategy: reconnectDelay,
  });
}

/** Resolve once `node` is connected (connecting it if it waits for a first command), or reject. */
function nodeReady(node: Redis): Promise<void> {
  if (node.status === 'ready') return Promise.resolve();
  if (node.status === 'wait') return node.connect();
  return new Promise((resolve, reject) => {
    node.once('ready', () => resolve());
    node.once('end', () => reject(new Error('node connection ended')));
  });
}

/**
 * Make the client fully usable before the cache reports `ok`. Cluster node connections are lazy in ioredis (opened
 * by the first command routed to the node), so without this the first commands after startup or failover would
 * spend their short command timeout connecting, and fail. Standalone clients are ready as they are.
 */
export async function warmUp(client: RedisClient, timeoutMs: number): Promise<void> {
  if (!(client instanceof Cluster)) return;
  await withTimeout(Promise.all(client.nodes('all').map(nodeReady)), timeoutMs, () => new Error('cluster nodes did not connect'));
}
