import { Redis } from 'ioredis';
import { createCache, type Cache } from '../../../src/cache';
import { deriveEntryKey, deriveLockKey } from '../../../src/cache/keys';
import { captureLogs, countingProducer, deleteUnder, keysUnder, REDIS_URL, testSecrets, uniquePrefix, waitUntil } from './helpers';

/** Against the machine's Redis (REDIS_URL, default 127.0.0.1:6379), under a key prefix of this run only. */
const NHS = '9000000009';
const TITLE = 'CT abdomen and pelvis with contrast';
const MATERIAL = `DocumentReference?patient.identifier=https://fhir.nhs.uk/Id/nhs-number|${NHS}`;

describe('cache on a real Redis', () => {
  const prefix = uniquePrefix('redis');
  const secrets = testSecrets();
  const caches: Cache[] = [];
  let admin: Redis;

  /** A connected cache (a call made while the first connection is still being set up is a plain miss). */
  async function newCache(): Promise<Cache> {
    const cache = createCache({ redisUrl: REDIS_URL, keyPrefix: prefix, ttlSeconds: 30, ...secrets }, captureLogs().logger);
    caches.push(cache);
    await waitUntil(() => cache.status().state === 'ok', 3000);
    return cache;
  }

  beforeAll(() => {
    admin = new Redis(REDIS_URL);
  });

  afterAll(async () => {
    await Promise.all(caches.map((c) => c.close()));
    await deleteUnder(admin, prefix);
    await admin.quit();
  });

  it('sets, gets and expires entries', async () => {
    const cache = await newCache();
    await cache.set('search', MATERIAL, { total: 2 }, 0.3);
    expect(await cache.get('search', MATERIAL)).toEqual({ total: 2 });
    expect(cache.status()).toEqual({ backend: 'redis', state: 'ok' });
    const key = deriveEntryKey(prefix, Buffer.from(secrets.keySecret), 'search', MATERIAL);
    expect(await admin.pttl(key)).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await cache.get('search', MATERIAL)).toBeUndefined();
  });

  it('stores nothing readable: no NHS number or title in any key or value under the prefix', async () => {
    const cache = await newCache();
    await cache.set('search', MATERIAL, { entry: [{ subject: { identifier: { value: NHS } }, description: TITLE }] });
    await cache.singleFlight('read', `DocumentReference/${NHS}-1`, async () => ({ title: TITLE, nhs: NHS }));
    // singleFlight answers before its entry is stored (cache/single-flight.ts): scan once both entries are there.
    await waitUntil(async () => (await keysUnder(admin, prefix)).length >= 2, 2000);
    const keys = await keysUnder(admin, prefix);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    for (const key of keys) {
      expect(key).not.toContain(NHS);
      const raw = (await admin.getBuffer(key)) ?? Buffer.alloc(0);
      for (const encoding of ['latin1', 'utf8', 'base64', 'hex'] as const) {
        expect(raw.toString(encoding)).not.toContain(NHS);
        expect(raw.toString(encoding)).not.toContain(TITLE);
      }
    }
  });

  it('deletes entries', async () => {
    const cache = await newCache();
    await cache.set('search', 'to-delete', 1);
    await cache.delete('search', 'to-delete');
    expect(await cache.get('search', 'to-delete')).toBeUndefined();
  });

  it('50 concurrent singleFlight calls in one process run produce once', async () => {
    const cache = await newCache();
    const producer = countingProducer({ total: 50 }, 100);
    const results = await Promise.all(Array.from({ length: 50 }, () => cache.singleFlight('search', 'fifty', producer.produce)));
    expect(producer.calls()).toBe(1);
    expect(results.every((r) => r.value.total === 50)).toBe(true);
  });

  it('a producer slower than lockTtlMs extends its lock, so the other replica waits instead of producing again', async () => {
    const [a, b] = await Promise.all([newCache(), newCache()]);
    const producer = countingProducer('slow', 900);
    const lockKey = deriveLockKey(prefix, Buffer.from(secrets.keySecret), 'search', 'slow-holder');
    const holder = a.singleFlight('search', 'slow-holder', producer.produce, { lockTtlMs: 300 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const waiter = b.singleFlight('search', 'slow-holder', producer.produce, { lockTtlMs: 300 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Past the lock's first life: extended, never longer than one life from now.
    const pttl = await admin.pttl(lockKey);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(300);
    expect((await Promise.all([holder, waiter])).map((r) => r.fromCache)).toEqual([false, true]);
    expect(producer.calls()).toBe(1);
  });

  it('two replicas sharing Redis, 20 concurrent calls each, run produce once in total', async () => {
    const [a, b] = await Promise.all([newCache(), newCache()]);
    const producer = countingProducer('shared', 150);
    const calls = [a, b].flatMap((cache) => Array.from({ length: 20 }, () => cache.singleFlight('search', 'replicas', producer.produce)));
    const results = await Promise.all(calls);
    expect(producer.calls()).toBe(1);
    expect(results.every((r) => r.value === 'shared')).toBe(true);
    expect(results.some((r) => r.fromCache)).toBe(true); // the other replica read it from Redis
  });

  it('a crashed lock holder blocks others no longer than lockTtlMs', async () => {
    const cache = await newCache();
    const lockKey = deriveLockKey(prefix, Buffer.from(secrets.keySecret), 'search', 'crashed');
    await admin.set(lockKey, 'dead-replica', 'PX', 400, 'NX');
    const started = Date.now();
    const result = await cache.singleFlight('search', 'crashed', async () => 'recovered', { lockTtlMs: 400 });
    const elapsed = Date.now() - started;
    expect(result).toEqual({ value: 'recovered', fromCache: false });
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(650);
    // Our own lock is released once the value is stored (just after it was handed back), never before.
    expect(await waitUntil(async () => (await admin.exists(lockKey)) === 0, 1000)).toBe(true);
    expect(await cache.get('search', 'crashed')).toBe('recovered');
  });

  it('fresh forces produce and refreshes the entry', async () => {
    const cache = await newCache();
    await cache.set('search', 'fresh', 'stale');
    expect(await cache.singleFlight('search', 'fresh', async () => 'x')).toEqual({ value: 'stale', fromCache: true });
    expect(await cache.singleFlight('search', 'fresh', async () => 'new', { fresh: true })).toEqual({ value: 'new', fromCache: false });
    expect(await cache.get('search', 'fresh')).toBe('new');
  });

  it('garbage under a derived key (plain text, or another type) is a miss and is deleted', async () => {
    const cache = await newCache();
    const keySecret = Buffer.from(secrets.keySecret);
    const plain = deriveEntryKey(prefix, keySecret, 'search', 'garbage');
    await admin.set(plain, JSON.stringify({ patient: NHS }));
    expect(await cache.get('search', 'garbage')).toBeUndefined();
    expect(await admin.exists(plain)).toBe(0);
    const list = deriveEntryKey(prefix, keySecret, 'search', 'wrongtype');
    await admin.rpush(list, 'x');
    expect(await cache.get('search', 'wrongtype')).toBeUndefined();
    expect(await admin.exists(list)).toBe(0);
    expect(cache.status().state).toBe('ok');
  });
});
