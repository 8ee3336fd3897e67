import { randomBytes } from 'node:crypto';
import { CacheConfigError } from './errors';
import type { CacheBackend, CacheOptions } from './types';

/** A Redis Cluster seed node. */
export interface ClusterNodeAddress {
  host: string;
  port: number;
}

/** {@link CacheOptions} checked, with defaults applied and secrets decoded. */
export interface ResolvedCacheOptions {
  backend: CacheBackend;
  redisUrl: string | undefined;
  clusterNodes: ClusterNodeAddress[];
  keyPrefix: string;
  ttlMs: number;
  keySecret: Buffer;
  encryptionKey: Buffer;
  commandTimeoutMs: number;
  lockTtlMs: number;
  memoryMaxEntries: number;
  memoryMaxBytes: number;
}

/** Life of a single-flight lock unless configured: how long a crashed holder may keep the others waiting. */
export const DEFAULT_LOCK_TTL_MS = 10_000;

/** Shortest accepted key secret: 32 characters, so the HMAC key carries at least ~128 bits even if hex. */
const MIN_SECRET_LENGTH = 32;

function positive(setting: keyof CacheOptions, value: number | undefined, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new CacheConfigError(setting, `must be a positive ${integer ? 'integer' : 'number'}`);
  }
  return value;
}

/** Seconds (fractions allowed) to whole milliseconds, at least 1 (0 would mean "no expiry" to lru-cache). */
export function toTtlMs(setting: keyof CacheOptions, seconds: number): number {
  return Math.max(1, Math.round(positive(setting, seconds, 0, false) * 1000));
}

/** Parse `host:port` (IPv6 as `[::1]:7000`). */
export function parseClusterNode(text: string): ClusterNodeAddress {
  const colon = text.lastIndexOf(':');
  const host = text.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const port = Number(text.slice(colon + 1));
  if (colon <= 0 || host === '' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new CacheConfigError('redisClusterNodes', `"${text}" is not host:port`);
  }
  return { host, port };
}

function backendOf(options: CacheOptions): CacheBackend {
  const hasUrl = options.redisUrl !== undefined && options.redisUrl !== '';
  const hasNodes = options.redisClusterNodes !== undefined;
  if (hasUrl && hasNodes) throw new CacheConfigError('redisClusterNodes', 'set either redisUrl or redisClusterNodes, not both');
  if (hasNodes && options.redisClusterNodes?.length === 0) throw new CacheConfigError('redisClusterNodes', 'lists no node');
  if (hasUrl && !/^rediss?:\/\//.test(options.redisUrl ?? '')) {
    throw new CacheConfigError('redisUrl', 'must start with redis:// or rediss://');
  }
  return hasUrl ? 'redis' : hasNodes ? 'redis-cluster' : 'memory';
}

function keySecretOf(options: CacheOptions, backend: CacheBackend): Buffer {
  if (options.keySecret === undefined || options.keySecret === '') {
    if (backend === 'memory') return randomBytes(32);
    throw new CacheConfigError('keySecret', 'is required when Redis is used');
  }
  if (options.keySecret.length < MIN_SECRET_LENGTH) {
    throw new CacheConfigError('keySecret', `must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  return Buffer.from(options.keySecret, 'utf8');
}

function encryptionKeyOf(options: CacheOptions, backend: CacheBackend): Buffer {
  if (options.encryptionKey === undefined || options.encryptionKey === '') {
    if (backend === 'memory') return randomBytes(32);
    throw new CacheConfigError('encryptionKey', 'is required when Redis is used');
  }
  if (!/^[0-9a-fA-F]{64}$/.test(options.encryptionKey)) {
    throw new CacheConfigError('encryptionKey', 'must be 32 bytes written as 64 hexadecimal characters');
  }
  return Buffer.from(options.encryptionKey, 'hex');
}

/** Validate options; throws {@link CacheConfigError} naming the first bad setting. */
export function resolveCacheOptions(options: CacheOptions): ResolvedCacheOptions {
  const backend = backendOf(options);
  const keyPrefix = options.keyPrefix ?? 'mxf:';
  if (!/^[\x21-\x7e]{0,64}$/.test(keyPrefix)) throw new CacheConfigError('keyPrefix', 'must be at most 64 printable ASCII characters');
  if (options.ttlSeconds === undefined) throw new CacheConfigError('ttlSeconds', 'is required');
  return {
    backend,
    redisUrl: backend === 'redis' ? options.redisUrl : undefined,
    clusterNodes: (options.redisClusterNodes ?? []).map(parseClusterNode),
    keyPrefix,
    ttlMs: toTtlMs('ttlSeconds', options.ttlSeconds),
    keySecret: keySecretOf(options, backend),
    encryptionKey: encryptionKeyOf(options, backend),
    commandTimeoutMs: positive('commandTimeoutMs', options.commandTimeoutMs, 100, true),
    lockTtlMs: positive('lockTtlMs', options.lockTtlMs, DEFAULT_LOCK_TTL_MS, true),
    memoryMaxEntries: positive('memoryMaxEntries', options.memoryMaxEntries, 10_000, true),
    memoryMaxBytes: positive('memoryMaxBytes', options.memoryMaxBytes, 64 * 1024 * 1024, true),
  };
}
