import { randomBytes } from 'node:crypto';
import { EncryptedCache } from '../../../src/cache/cache';
import { deriveEntryKey } from '../../../src/cache/keys';
import { MemoryStore } from '../../../src/cache/memory-store';
import { createCache } from '../../../src/cache';
import { captureLogs, WARN } from '../../integration/cache/helpers';

const MATERIAL = 'patient=9000000009&status=current';
const VALUE = { total: 1, titles: ['MRI knee'] };

/** A cache over a real in-process store the test can reach into. */
function cacheOver(store: MemoryStore, encryptionKey = randomBytes(32), keySecret = Buffer.from('k'.repeat(32))) {
  const logs = captureLogs();
  const cache = new EncryptedCache({ store, keyPrefix: 'mxf:', keySecret, encryptionKey, defaultTtlMs: 60_000, logger: logs.logger });
  return { cache, logs, key: deriveEntryKey('mxf:', keySecret, 'search', MATERIAL) };
}

describe('EncryptedCache over the in-memory store', () => {
  it('round-trips a value and stores only ciphertext under an HMAC key', async () => {
    const store = new MemoryStore(100, 1_000_000);
    const { cache, key } = cacheOver(store);
    await cache.set('search', MATERIAL, VALUE);
    expect(await cache.get('search', MATERIAL)).toEqual(VALUE);
    const raw = await store.get(key);
    expect(raw).toBeInstanceOf(Buffer);
    expect(raw?.toString('latin1')).not.toContain('MRI knee');
    await cache.delete('search', MATERIAL);
    expect(await cache.get('search', MATERIAL)).toBeUndefined();
  });

  it('treats a tampered entry as a miss, deletes it and logs without data', async () => {
    const store = new MemoryStore(100, 1_000_000);
    const { cache, key, logs } = cacheOver(store);
    await cache.set('search', MATERIAL, VALUE);
    const raw = Buffer.from((await store.get(key)) as Buffer);
    raw[raw.length - 1] = (raw[raw.length - 1] as number) ^ 0xff;
    await store.set(key, raw, 60_000);
    expect(await cache.get('search', MATERIAL)).toBeUndefined();
    expect(await store.get(key)).toBeUndefined();
    expect(logs.records.filter((r) => r.level === WARN)).toHaveLength(1);
    expect(logs.raw.join('\n')).not.toContain('9000000009');
  });

  it('treats an entry moved to another key as a miss and deletes it', async () => {
    const store = new MemoryStore(100, 1_000_000);
    const { cache, key } = cacheOver(store);
    await cache.set('search', MATERIAL, VALUE);
    const other = deriveEntryKey('mxf:', Buffer.from('k'.repeat(32)), 'search', 'patient=9434765919');
    await store.set(other, (await store.get(key)) as Buffer, 60_000);
    expect(await cache.get('search', 'patient=9434765919')).toBeUndefined();
    expect(await store.get(other)).toBeUndefined();
    expect(await cache.get('search', MATERIAL)).toEqual(VALUE);
  });

  it('misses (and deletes) entries written under another encryption key', async () => {
    const store = new MemoryStore(100, 1_000_000);
    const writer = cacheOver(store);
    const reader = cacheOver(store);
    await writer.cache.set('search', MATERIAL, VALUE);
    expect(await reader.cache.get('search', MATERIAL)).toBeUndefined();
    expect(await store.get(writer.key)).toBeUndefined();
  });

  it('expires entries after their TTL', async () => {
    const { cache } = cacheOver(new MemoryStore(100, 1_000_000));
    await cache.set('search', MATERIAL, VALUE, 0.05);
    expect(await cache.get('search', MATERIAL)).toEqual(VALUE);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await cache.get('search', MATERIAL)).toBeUndefined();
  });

  it('stays within its entry-count and byte bounds', async () => {
    const byCount = cacheOver(new MemoryStore(3, 1_000_000)).cache;
    for (let i = 0; i < 5; i += 1) await byCount.set('search', `m${i}`, i);
    expect(await byCount.get('search', 'm0')).toBeUndefined();
    expect(await byCount.get('search', 'm4')).toBe(4);
    const bySize = cacheOver(new MemoryStore(1000, 2_000)).cache;
    for (let i = 0; i < 5; i += 1) await bySize.set('search', `m${i}`, 'x'.repeat(500));
    expect(await bySize.get('search', 'm0')).toBeUndefined();
    expect(await bySize.get('search', 'm4')).toBe('x'.repeat(500));
  });

  it('does not store undefined, and neither throws nor stores a non-JSON value', async () => {
    const { cache, logs } = cacheOver(new MemoryStore(100, 1_000_000));
    await cache.set('search', MATERIAL, undefined);
    await expect(cache.set('search', MATERIAL, { big: 1n })).resolves.toBeUndefined();
    expect(await cache.get('search', MATERIAL)).toBeUndefined();
    expect(logs.records.some((r) => r.msg.includes('not serialisable'))).toBe(true);
  });

  it('rejects a namespace that is not a plain identifier (a programming error)', async () => {
    const { cache } = cacheOver(new MemoryStore(100, 1_000_000));
    await expect(cache.get('a:b', MATERIAL)).rejects.toThrow(RangeError);
    await expect(cache.singleFlight('a b', MATERIAL, async () => 1)).rejects.toThrow(RangeError);
  });

  it('createCache without Redis gives a working memory backend with random secrets', async () => {
    const a = createCache({ ttlSeconds: 60 }, captureLogs().logger);
    const b = createCache({ ttlSeconds: 60 }, captureLogs().logger);
    expect(a.status()).toEqual({ backend: 'memory', state: 'ok' });
    await a.set('search', MATERIAL, VALUE);
    expect(await a.get('search', MATERIAL)).toEqual(VALUE);
    expect(await b.get('search', MATERIAL)).toBeUndefined();
    await a.close();
    await b.close();
  });
});
