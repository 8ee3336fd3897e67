import { Redis } from 'ioredis';
import { createCache, type Cache } from '../../../src/cache';
import { startPrivateRedisCluster, type PrivateRedisCluster } from '../../support/redis';
import { captureLogs, countingProducer, testSecrets, waitUntil } from './helpers';

/** Against a private three-node Redis Cluster (masters only), torn down even when a test fails. */
const NHS = '9000000009';

describe('cache on a Redis Cluster', () => {
  let cluster: PrivateRedisCluster | undefined;
  const caches: Cache[] = [];
  const secrets = testSecrets();

  /** A connected cache (every node connection warmed up). */
  async function newCache(): Promise<Cache> {
    if (cluster === undefined) throw new Error('cluster not started');
    const cache = createCache({ redisClusterNodes: cluster.nodes, ttlSeconds: 30, ...secrets }, captureLogs().logger);
    caches.push(cache);
    await waitUntil(() => cache.status().state === 'ok', 5000);
    return cache;
  }

  beforeAll(async () => {
    cluster = await startPrivateRedisCluster(3);
  });

  afterAll(async () => {
    await Promise.all(caches.map((c) => c.close()));
    await cluster?.stop();
  });

  it('sets and gets through the cluster backend, across slots of every node', async () => {
    const cache = await newCache();
    expect(cache.status()).toEqual({ backend: 'redis-cluster', state: 'ok' });
    const materials = Array.from({ length: 30 }, (_, i) => `${NHS}-${i}`);
    await Promise.all(materials.map((m, i) => cache.set('search', m, { i })));
    const values = await Promise.all(materials.map((m) => cache.get('search', m)));
    expect(values).toEqual(materials.map((_, i) => ({ i })));

    // The 30 keys really are spread over the three masters.
    const counts = await Promise.all(
      (cluster?.nodes ?? []).map(async (node) => {
        const direct = new Redis(`redis://${node}`);
        try {
          return await direct.dbsize();
        } finally {
          direct.disconnect();
        }
      }),
    );
    expect(counts).toHaveLength(3);
    expect(counts.every((n) => n > 0)).toBe(true);
  });

  it('single-flights across two replicas through the cluster', async () => {
    const [a, b] = await Promise.all([newCache(), newCache()]);
    const producer = countingProducer('clustered', 150);
    const results = await Promise.all([a, b].flatMap((c) => Array.from({ length: 10 }, () => c.singleFlight('search', NHS, producer.produce))));
    expect(producer.calls()).toBe(1);
    expect(results.every((r) => r.value === 'clustered')).toBe(true);
    expect(await a.singleFlight('search', NHS, producer.produce)).toEqual({ value: 'clustered', fromCache: true });
  });

  it('keeps the lock of a producer slower than lockTtlMs on the node that holds it (compare-and-extend in Lua)', async () => {
    const [a, b] = await Promise.all([newCache(), newCache()]);
    const producer = countingProducer('slow but single', 700);
    const holder = a.singleFlight('search', `${NHS}-slow`, producer.produce, { lockTtlMs: 200 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const waiter = b.singleFlight('search', `${NHS}-slow`, producer.produce, { lockTtlMs: 200 });
    expect((await Promise.all([holder, waiter])).map((r) => r.fromCache)).toEqual([false, true]);
    expect(producer.calls()).toBe(1);
  });
});
