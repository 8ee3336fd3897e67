import fs from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { communityKey } from '../fhir/ids';
import type { Community } from '../xca/model';
import { storedQueries } from '../mappings/stored-queries';
import communitiesSchema from './schemas/communities.schema.json';
import { securitySettings, type SecuritySettings } from './security';

/**
 * The one typed configuration. Nothing else in src/ reads process.env: everything comes from here, validated.
 * A bad setting stops startup with a ConfigError naming the variable or file and what is wrong.
 */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  /** Public FHIR base URL used in fullUrl and attachment URLs; defaults to http://localhost:PORT/fhir. */
  readonly publicBaseUrl: string | undefined;
  /** 'sandbox' when COMMUNITIES_FILE is unset: the service starts its own responding gateways on loopback. */
  readonly mode: 'sandbox' | 'configured';
  readonly communities: readonly Community[];
  readonly allowInsecureUpstream: boolean;
  readonly logLevel: string;
  readonly maxUpstreamResponseBytes: number;
  /** Largest document served as a FHIR Binary resource (Accept: application/fhir+json); raw bytes are not limited. */
  readonly maxBinaryResourceBytes: number;
  /** OID of the NHS number assigning authority in the patient CX sent upstream. */
  readonly patientAssigningAuthority: string;
  readonly cache: CacheSettings;
  /** Sandbox mode only: size of the generated large document of 9000000076. */
  readonly sandboxLargeDocumentBytes: number;
  readonly security: SecuritySettings;
  readonly resilience: {
    /** One deadline per inbound request, bounding the whole fan-out. */
    readonly requestDeadlineMs: number;
    /** SIGTERM: in-flight requests get this long to finish. */
    readonly shutdownGraceMs: number;
    /** Consecutive failures that open a community's circuit, and how long it stays open before a probe. */
    readonly circuitFailureThreshold: number;
    readonly circuitResetMs: number;
    /** Cap on concurrent connections to one community. */
    readonly upstreamMaxConnections: number;
  };
}

/** Query-result cache (Redis, Redis Cluster or in-process); secrets are required with Redis. */
export interface CacheSettings {
  readonly redisUrl?: string;
  readonly redisClusterNodes?: string[];
  readonly keyPrefix: string;
  readonly ttlSeconds: number;
  /** Life of a single-flight lock (extended by its holder while it works). */
  readonly lockTtlMs: number;
  readonly keySecret?: string;
  readonly encryptionKey?: string;
}

function cacheSettings(env: Env): CacheSettings {
  const redisUrl = env.REDIS_URL || undefined;
  const nodes = env.REDIS_CLUSTER_NODES ? env.REDIS_CLUSTER_NODES.split(',').map((n) => n.trim()).filter((n) => n !== '') : undefined;
  if (redisUrl !== undefined && !/^rediss?:\/\/\S+$/.test(redisUrl)) throw new ConfigError(`REDIS_URL must be a redis:// or rediss:// URL, got "${redisUrl}"`);
  for (const node of nodes ?? []) if (!/^[^\s:]+:\d{1,5}$/.test(node)) throw new ConfigError(`REDIS_CLUSTER_NODES must be host:port[,host:port...], got "${node}"`);
  const shared = redisUrl !== undefined || nodes !== undefined;
  const keySecret = env.CACHE_KEY_SECRET || undefined;
  const encryptionKey = env.CACHE_ENCRYPTION_KEY || undefined;
  if (shared && (keySecret === undefined || keySecret.length < 32)) throw new ConfigError('CACHE_KEY_SECRET (at least 32 characters) is required when REDIS_URL or REDIS_CLUSTER_NODES is set');
  if (shared && (encryptionKey === undefined || !/^[0-9a-fA-F]{64}$/.test(encryptionKey))) throw new ConfigError('CACHE_ENCRYPTION_KEY (32 bytes as 64 hex characters) is required when REDIS_URL or REDIS_CLUSTER_NODES is set');
  if (keySecret !== undefined && keySecret.length < 32) throw new ConfigError('CACHE_KEY_SECRET must be at least 32 characters');
  if (encryptionKey !== undefined && !/^[0-9a-fA-F]{64}$/.test(encryptionKey)) throw new ConfigError('CACHE_ENCRYPTION_KEY must be 64 hex characters');
  return {
    ...(redisUrl !== undefined ? { redisUrl } : {}),
    ...(nodes !== undefined ? { redisClusterNodes: nodes } : {}),
    keyPrefix: env.REDIS_KEY_PREFIX ?? 'mxf:',
    ttlSeconds: intSetting(env, 'CACHE_TTL_SECONDS', 300, 1, 86400),
    lockTtlMs: intSetting(env, 'CACHE_LOCK_TTL_MS', 10_000, 100, 600_000),
    ...(keySecret !== undefined ? { keySecret } : {}),
    ...(encryptionKey !== undefined ? { encryptionKey } : {}),
  };
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function intSetting(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function boolSetting(env: Env, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new ConfigError(`${name} must be "true" or "false", got "${raw}"`);
}

interface CommunityFileEntry {
  homeCommunityId: string;
  name: string;
  iti38Url: string;
  iti39Url?: string;
  rad75Url?: string;
  timeoutMs?: number;
  tls?: { clientCert?: string; clientKey?: string; ca?: string };
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true });
addFormats(ajv);
const validateCommunities = ajv.compile<{ communities: CommunityFileEntry[] }>(communitiesSchema);

/** Validate community entries (from COMMUNITIES_FILE or the sandbox) and derive their routing keys. */
export function toCommunities(entries: readonly CommunityFileEntry[], source: string, allowInsecure: boolean): Community[] {
  const doc = { communities: entries.map((e) => ({ ...e })) };
  if (!validateCommunities(doc)) {
    const details = (validateCommunities.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
    throw new ConfigError(`${source} is invalid: ${details}`);
  }
  const seen = new Map<string, string>();
  return doc.communities.map((entry, index) => {
    for (const url of [entry.iti38Url, entry.iti39Url, entry.rad75Url]) {
      if (url?.startsWith('http://') && !allowInsecure) {
        throw new ConfigError(`${source}: /communities/${index} uses plain http (${url}); set ALLOW_INSECURE_UPSTREAM=true to allow it`);
      }
    }
    const key = communityKey(entry.homeCommunityId);
    const clash = seen.get(key);
    if (clash !== undefined) {
      throw new ConfigError(`${source}: /communities/${index} homeCommunityId ${entry.homeCommunityId} duplicates or collides with ${clash}`);
    }
    seen.set(key, entry.homeCommunityId);
    return { ...entry, timeoutMs: entry.timeoutMs ?? 10000, key };
  });
}

function readCommunitiesFile(file: string, allowInsecure: boolean): Community[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`COMMUNITIES_FILE ${file} cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { communities?: unknown }).communities)) {
    throw new ConfigError(`COMMUNITIES_FILE ${file} is invalid: / must have a "communities" array`);
  }
  const extra = Object.keys(parsed).filter((k) => k !== 'communities' && k !== '$comment');
  if (extra.length > 0) throw new ConfigError(`COMMUNITIES_FILE ${file} is invalid: unknown key(s) ${extra.join(', ')}`);
  return toCommunities((parsed as { communities: CommunityFileEntry[] }).communities, `COMMUNITIES_FILE ${file}`, allowInsecure);
}

/** Build the configuration from the environment. In sandbox mode communities are filled in once the sandbox runs. */
export function loadConfig(env: Env = process.env): AppConfig {
  const allowInsecureUpstream = boolSetting(env, 'ALLOW_INSECURE_UPSTREAM');
  const file = env.COMMUNITIES_FILE;
  const publicBaseUrl = env.PUBLIC_BASE_URL;
  if (publicBaseUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(publicBaseUrl)) {
    throw new ConfigError(`PUBLIC_BASE_URL must be an http(s) URL, got "${publicBaseUrl}"`);
  }
  const authority = env.PATIENT_ASSIGNING_AUTHORITY ?? storedQueries().patientId.defaultAssigningAuthority;
  if (!/^[0-2](\.(0|[1-9]\d*))+$/.test(authority)) {
    throw new ConfigError(`PATIENT_ASSIGNING_AUTHORITY must be an OID, got "${authority}"`);
  }
  const mode = file === undefined || file === '' ? 'sandbox' : 'configured';
  const fail = (message: string): never => {
    throw new ConfigError(message);
  };
  return {
    port: intSetting(env, 'PORT', 8080, 0, 65535),
    host: env.HOST ?? '0.0.0.0',
    publicBaseUrl: publicBaseUrl?.replace(/\/+$/, ''),
    mode,
    communities: file === undefined || file === '' ? [] : readCommunitiesFile(file, allowInsecureUpstream),
    allowInsecureUpstream,
    logLevel: env.LOG_LEVEL ?? 'info',
    maxUpstreamResponseBytes: intSetting(env, 'MAX_UPSTREAM_RESPONSE_BYTES', 50 * 1024 * 1024, 1024, 2 ** 31),
    maxBinaryResourceBytes: intSetting(env, 'MAX_BINARY_RESOURCE_BYTES', 10 * 1024 * 1024, 0, 2 ** 31),
    patientAssigningAuthority: authority,
    cache: cacheSettings(env),
    sandboxLargeDocumentBytes: intSetting(env, 'SANDBOX_LARGE_DOCUMENT_BYTES', 256 * 1024 * 1024, 1024, 2 ** 40),
    security: securitySettings(env, mode, allowInsecureUpstream, fail),
    resilience: {
      requestDeadlineMs: intSetting(env, 'REQUEST_DEADLINE_MS', 30_000, 100, 600_000),
      shutdownGraceMs: intSetting(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
      circuitFailureThreshold: intSetting(env, 'CIRCUIT_FAILURE_THRESHOLD', 5, 1, 1000),
      circuitResetMs: intSetting(env, 'CIRCUIT_RESET_MS', 30_000, 100, 3_600_000),
      upstreamMaxConnections: intSetting(env, 'UPSTREAM_MAX_CONNECTIONS', 16, 1, 1024),
    },
  };
}
