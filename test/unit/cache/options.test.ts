import { CacheConfigError, createCache, type CacheOptions } from '../../../src/cache';
import { resolveCacheOptions } from '../../../src/cache/options';
import { captureLogs } from '../../integration/cache/helpers';

const KEY_SECRET = 'x'.repeat(32);
const ENC_KEY = 'ab'.repeat(32);

function settingOf(options: CacheOptions): string | undefined {
  try {
    createCache(options, captureLogs().logger);
  } catch (err) {
    if (err instanceof CacheConfigError) return err.setting;
    throw err;
  }
  return undefined;
}

describe('cache configuration', () => {
  it('requires keySecret and encryptionKey with Redis, naming the setting', () => {
    expect(settingOf({ ttlSeconds: 60, redisUrl: 'redis://127.0.0.1:1', encryptionKey: ENC_KEY })).toBe('keySecret');
    expect(settingOf({ ttlSeconds: 60, redisUrl: 'redis://127.0.0.1:1', keySecret: KEY_SECRET })).toBe('encryptionKey');
    expect(settingOf({ ttlSeconds: 60, redisClusterNodes: ['127.0.0.1:1'], encryptionKey: ENC_KEY })).toBe('keySecret');
    expect(() => createCache({ ttlSeconds: 60, redisUrl: 'redis://127.0.0.1:1' }, captureLogs().logger)).toThrow(/keySecret: is required when Redis is used/);
  });

  it('refuses weak or malformed secrets', () => {
    expect(settingOf({ ttlSeconds: 60, redisUrl: 'redis://h', keySecret: 'short', encryptionKey: ENC_KEY })).toBe('keySecret');
    expect(settingOf({ ttlSeconds: 60, redisUrl: 'redis://h', keySecret: KEY_SECRET, encryptionKey: 'ab'.repeat(16) })).toBe('encryptionKey');
    expect(settingOf({ ttlSeconds: 60, redisUrl: 'redis://h', keySecret: KEY_SECRET, encryptionKey: 'zz'.repeat(32) })).toBe('encryptionKey');
  });

  it('refuses bad backends and numbers', () => {
    const secrets = { keySecret: KEY_SECRET, encryptionKey: ENC_KEY };
    expect(settingOf({ ttlSeconds: 60, redisUrl: 'redis://h', redisClusterNodes: ['h:1'], ...secrets })).toBe('redisClusterNodes');
    expect(settingOf({ ttlSeconds: 60, redisClusterNodes: [], ...secrets })).toBe('redisClusterNodes');
    expect(settingOf({ ttlSeconds: 60, redisClusterNodes: ['nohost'], ...secrets })).toBe('redisClusterNodes');
    expect(settingOf({ ttlSeconds: 60, redisUrl: 'http://h', ...secrets })).toBe('redisUrl');
    expect(settingOf({ ttlSeconds: 0 })).toBe('ttlSeconds');
    expect(settingOf({ ttlSeconds: 60, commandTimeoutMs: 0.5 })).toBe('commandTimeoutMs');
    expect(settingOf({ ttlSeconds: 60, keyPrefix: 'has space ' })).toBe('keyPrefix');
  });

  it('applies defaults and generates per-process secrets for memory', () => {
    const a = resolveCacheOptions({ ttlSeconds: 1.5 });
    const b = resolveCacheOptions({ ttlSeconds: 1.5 });
    expect(a).toMatchObject({ backend: 'memory', keyPrefix: 'mxf:', ttlMs: 1500, commandTimeoutMs: 100 });
    expect(a.keySecret.length).toBe(32);
    expect(a.encryptionKey.length).toBe(32);
    expect(a.keySecret.equals(b.keySecret)).toBe(false);
    expect(a.encryptionKey.equals(b.encryptionKey)).toBe(false);
  });

  it('parses cluster nodes, IPv6 included', () => {
    const resolved = resolveCacheOptions({ ttlSeconds: 60, redisClusterNodes: ['10.0.0.1:7000', '[::1]:7001'], keySecret: KEY_SECRET, encryptionKey: ENC_KEY });
    expect(resolved.backend).toBe('redis-cluster');
    expect(resolved.clusterNodes).toEqual([{ host: '10.0.0.1', port: 7000 }, { host: '::1', port: 7001 }]);
  });
});
