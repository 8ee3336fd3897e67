import { randomBytes } from 'node:crypto';
import { EncryptedCache } from '../../../src/cache/cache';
import { deriveLockKey } from '../../../src/cache/keys';
import { MemoryStore } from '../../../src/cache/memory-store';
import { captureLogs, countingProducer } from '../../integration/cache/helpers';

const SECRET = Buffer.from('s'.repeat(32));

function memoryCache(): { cache: EncryptedCache; store: MemoryStore } {
  const store = new MemoryStore(100, 1_000_000);
  const cache = new EncryptedCache({ store, keyPrefix: 'mxf:', keySecret: SECRET, encryptionKey: randomBytes(32), defaultTtlMs: 60_000, logger: captureLogs().logger });
  return { cache, store };
}

/** A store whose writes take `ms` (a slow Redis), shared by two caches with the same secrets: two replicas. */
class SlowWrites extends MemoryStore {
  constructor(private readonly ms: number) {
    super(100, 1_000_000);
  }

  override async set(key: string, value: Buffer, ttlMs: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, this.ms));
    await super.set(key, value, ttlMs);
  }
}

function twoReplicas(store: MemoryStore): [EncryptedCache, EncryptedCache] {
  const encryptionKey = randomBytes(32);
  const replica = (): EncryptedCache =>
    new EncryptedCache({ store, keyPrefix: 'mxf:', keySecret: SECRET, encryptionKey, defaultTtlMs: 60_000, logger: captureLogs().logger });
  return [replica(), replica()];
}

describe('singleFlight (in-memory backend)', () => {
  it('runs produce once for 50 concurrent identical calls, then serves the cache', async () => {
    const { cache } = memoryCache();
    const producer = countingProducer({ total: 3 });
    const results = await Promise.all(Array.from({ length: 50 }, () => cache.singleFlight('search', 'q', producer.produce)));
    expect(producer.calls()).toBe(1);
    expect(results.every((r) => r.value.total === 3 && !r.fromCache)).toBe(true);
    expect(await cache.singleFlight('search', 'q', producer.produce)).toEqual({ value: { total: 3 }, fromCache: true });
    expect(producer.calls()).toBe(1);
  });

  it('does not coalesce different key material', async () => {
    const { cache } = memoryCache();
    const producer = countingProducer('v');
    await Promise.all([cache.singleFlight('search', 'a', producer.produce), cache.singleFlight('search', 'b', producer.produce)]);
    expect(producer.calls()).toBe(2);
  });

  it('passes a failure of produce to every caller, caches nothing and frees the lock', async () => {
    const { cache, store } = memoryCache();
    const failing = jest.fn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('upstream down');
    });
    const calls = Array.from({ length: 5 }, () => cache.singleFlight('search', 'q', failing));
    for (const call of calls) await expect(call).rejects.toThrow('upstream down');
    expect(failing).toHaveBeenCalledTimes(1);
    expect(await cache.get('search', 'q')).toBeUndefined();
    expect(await store.lockExists(deriveLockKey('mxf:', SECRET, 'search', 'q'))).toBe(false);
    expect(await cache.singleFlight('search', 'q', async () => 'ok')).toEqual({ value: 'ok', fromCache: false });
  });

  it('with fresh, produces even on a hit and refreshes the entry', async () => {
    const { cache } = memoryCache();
    await cache.set('search', 'q', 'old');
    expect(await cache.singleFlight('search', 'q', async () => 'new', { fresh: true })).toEqual({ value: 'new', fromCache: false });
    expect(await cache.get('search', 'q')).toBe('new');
  });

  it('waits for a lock holder no longer than the lock lives', async () => {
    const { cache, store } = memoryCache();
    await store.acquireLock(deriveLockKey('mxf:', SECRET, 'search', 'q'), 'crashed-holder', 300);
    const started = Date.now();
    const result = await cache.singleFlight('search', 'q', async () => 'mine', { lockTtlMs: 300 });
    const elapsed = Date.now() - started;
    expect(result).toEqual({ value: 'mine', fromCache: false });
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(450);
  });

  it('waits no longer than maxWaitMs, then produces itself', async () => {
    const { cache, store } = memoryCache();
    await store.acquireLock(deriveLockKey('mxf:', SECRET, 'search', 'q'), 'slow-holder', 10_000);
    const started = Date.now();
    expect(await cache.singleFlight('search', 'q', async () => 'mine', { maxWaitMs: 100 })).toEqual({ value: 'mine', fromCache: false });
    expect(Date.now() - started).toBeLessThan(250);
  });

  it('a holder slower than its lock\'s life keeps the lock: the other replica waits for its value, never producing', async () => {
    const store = new MemoryStore(100, 1_000_000);
    const [one, other] = twoReplicas(store);
    const producer = countingProducer('slow answer', 400);
    const holder = one.singleFlight('search', 'q', producer.produce, { lockTtlMs: 90 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const waiter = other.singleFlight('search', 'q', producer.produce, { lockTtlMs: 90 });
    expect(await holder).toEqual({ value: 'slow answer', fromCache: false });
    expect(await waiter).toEqual({ value: 'slow answer', fromCache: true });
    expect(producer.calls()).toBe(1);
    // Once the value is stored the lock goes at once, not when the last extension runs out.
    expect(await store.lockExists(deriveLockKey('mxf:', SECRET, 'search', 'q'))).toBe(false);
  });

  it('a holder that crashed (stopped extending) frees the others within the lock\'s life', async () => {
    const store = new MemoryStore(100, 1_000_000);
    const lockKey = deriveLockKey('mxf:', SECRET, 'search', 'q');
    await store.acquireLock(lockKey, 'crashed', 150);
    expect(await store.extendLock(lockKey, 'another token', 10_000)).toBe(false);
    const [, other] = twoReplicas(store);
    const started = Date.now();
    expect(await other.singleFlight('search', 'q', async () => 'mine', { lockTtlMs: 150 })).toEqual({ value: 'mine', fromCache: false });
    expect(Date.now() - started).toBeLessThan(400);
    expect(await store.extendLock(lockKey, 'crashed', 10_000)).toBe(false); // gone (and now another's): not taken back
  });

  it('picks up the value a lock holder stores while it waits', async () => {
    const { cache, store } = memoryCache();
    const lockKey = deriveLockKey('mxf:', SECRET, 'search', 'q');
    await store.acquireLock(lockKey, 'other', 5_000);
    setTimeout(() => void cache.set('search', 'q', 'theirs'), 60);
    const produce = jest.fn(async () => 'mine');
    expect(await cache.singleFlight('search', 'q', produce)).toEqual({ value: 'theirs', fromCache: true });
    expect(produce).not.toHaveBeenCalled();
  });

  it('hands the value back before its entry is stored, and holds the lock until it is', async () => {
    const store = new SlowWrites(150);
    const [one, other] = twoReplicas(store);
    const lockKey = deriveLockKey('mxf:', SECRET, 'search', 'q');
    const started = Date.now();
    expect(await one.singleFlight('search', 'q', async () => 'v')).toEqual({ value: 'v', fromCache: false });
    expect(Date.now() - started).toBeLessThan(100);
    // Not stored yet: the lock says so to the other replica, and this replica answers the value it is writing.
    expect(await store.lockExists(lockKey)).toBe(true);
    expect(await other.get('search', 'q')).toBeUndefined();
    expect(await one.get('search', 'q')).toBe('v');
    expect(await one.singleFlight('search', 'q', async () => 'produced again')).toEqual({ value: 'v', fromCache: true });
    // The other replica, asked to wait for a producer, gets the value once it is stored; then the lock is gone.
    expect(await other.get('search', 'q', { awaitProducer: true })).toBe('v');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(await store.lockExists(lockKey)).toBe(false);
  });

  it('a replica waiting on the lock while the entry is stored gets the stored value, without producing', async () => {
    const store = new SlowWrites(150);
    const [one, other] = twoReplicas(store);
    await one.singleFlight('search', 'q', async () => 'v');
    const produce = jest.fn(async () => 'mine');
    expect(await other.singleFlight('search', 'q', produce)).toEqual({ value: 'v', fromCache: true });
    expect(produce).not.toHaveBeenCalled();
  });

  it('get with awaitProducer answers a miss at once when no producer holds the lock', async () => {
    const { cache } = memoryCache();
    const started = Date.now();
    expect(await cache.get('search', 'nobody', { awaitProducer: true })).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(50);
  });

  it('a value deleted, or written again, before it was sealed is not stored', async () => {
    const store = new SlowWrites(20);
    const [one, other] = twoReplicas(store);
    void one.set('search', 'gone', 'v');
    await one.delete('search', 'gone');
    expect(await one.get('search', 'gone')).toBeUndefined();
    const first = one.set('search', 'twice', 'first');
    const second = one.set('search', 'twice', 'second');
    expect(await one.get('search', 'twice')).toBe('second');
    await Promise.all([first, second]);
    expect(await other.get('search', 'gone')).toBeUndefined();
    expect(await other.get('search', 'twice')).toBe('second');
  });
});
