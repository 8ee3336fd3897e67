import { Redis } from 'ioredis';
import { createCache, type Cache } from '../../../src/cache';
import { startPrivateRedis, type PrivateRedis } from '../../support/redis';
import { captureLogs, testSecrets, uniquePrefix, waitUntil, WARN, type LogRecord } from './helpers';

/** Against a private redis-server this test kills, restarts and pauses. */
const NHS = '9000000009';

/** Run `work` and return its result with how long it took. */
async function timed<T>(work: Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await work;
  return { result, ms: Date.now() - started };
}

describe('cache when Redis fails', () => {
  let server: PrivateRedis;
  let cache: Cache;
  let records: LogRecord[];
  let raw: string[];
  const degradedLogs = (): LogRecord[] => records.filter((r) => r.level === WARN && r.msg.startsWith('cache degraded'));
  const recoveredLogs = (): LogRecord[] => records.filter((r) => r.msg.startsWith('cache recovered'));

  beforeAll(async () => {
    server = await startPrivateRedis();
    const logs = captureLogs();
    ({ records, raw } = logs);
    cache = createCache({ redisUrl: server.url, keyPrefix: uniquePrefix('failure'), ttlSeconds: 30, ...testSecrets() }, logs.logger);
    await waitUntil(() => cache.status().state === 'ok', 3000);
  });

  afterAll(async () => {
    await cache.close();
    await server.stop();
  });

  it('works, survives a crash of Redis without throwing or waiting, and resumes when Redis returns', async () => {
    await cache.set('search', NHS, { ok: 1 });
    expect(await cache.get('search', NHS)).toEqual({ ok: 1 });
    expect(cache.status()).toEqual({ backend: 'redis', state: 'ok' });

    await server.kill();
    expect(await waitUntil(() => cache.status().state === 'degraded', 2000)).toBe(true);
    for (let round = 0; round < 3; round += 1) {
      const get = await timed(cache.get('search', NHS));
      expect(get.result).toBeUndefined();
      expect(get.ms).toBeLessThan(300);
      const set = await timed(cache.set('search', `${NHS}-${round}`, { round }));
      expect(set.ms).toBeLessThan(300);
      const del = await timed(cache.delete('search', NHS));
      expect(del.ms).toBeLessThan(300);
      const flight = await timed(cache.singleFlight('search', `flight-${round}`, async () => round));
      expect(flight.result).toEqual({ value: round, fromCache: false });
      expect(flight.ms).toBeLessThan(300);
    }
    expect(cache.status()).toEqual({ backend: 'redis', state: 'degraded' });
    expect(degradedLogs()).toHaveLength(1);
    expect(recoveredLogs()).toHaveLength(0);

    await server.restart();
    // Caching resumes by itself (bounded reconnect backoff, about a second at most).
    const resumed = await waitUntil(async () => {
      await cache.set('search', 'after-restart', 'back');
      return (await cache.get('search', 'after-restart')) === 'back';
    }, 5000);
    expect(resumed).toBe(true);
    expect(cache.status()).toEqual({ backend: 'redis', state: 'ok' });
    expect(degradedLogs()).toHaveLength(1);
    expect(recoveredLogs()).toHaveLength(1);
    expect(raw.join('\n')).not.toContain(NHS);
  });

  it('treats a Redis too slow to answer as a miss within the command timeout', async () => {
    const admin = new Redis(server.url);
    try {
      await admin.client('PAUSE', 400, 'ALL');
      const get = await timed(cache.get('search', 'after-restart'));
      expect(get.result).toBeUndefined();
      expect(get.ms).toBeLessThan(300);
      const flight = await timed(cache.singleFlight('search', 'slow', async () => 'produced'));
      expect(flight.result).toEqual({ value: 'produced', fromCache: false });
      expect(flight.ms).toBeLessThan(300);
      expect(cache.status().state).toBe('degraded');
      // Once Redis answers again a probe brings the cache back.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await waitUntil(async () => (await cache.get('search', 'after-restart')) === 'back', 2000)).toBe(true);
      expect(cache.status().state).toBe('ok');
    } finally {
      admin.disconnect();
    }
  });

  it('starts degraded, without throwing, when Redis is not there at all', async () => {
    const logs = captureLogs();
    const orphan = createCache({ redisUrl: 'redis://127.0.0.1:1', ttlSeconds: 30, ...testSecrets() }, logs.logger);
    try {
      const get = await timed(orphan.get('search', NHS));
      expect(get.result).toBeUndefined();
      expect(get.ms).toBeLessThan(300);
      expect((await orphan.singleFlight('search', NHS, async () => 7)).value).toBe(7);
      expect(orphan.status()).toEqual({ backend: 'redis', state: 'degraded' });
      expect(logs.records.filter((r) => r.level === WARN)).toHaveLength(1);
    } finally {
      await orphan.close();
    }
  });
});
