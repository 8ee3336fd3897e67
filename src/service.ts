import fs from 'node:fs';
import http, { type Server } from 'node:http';
import https from 'node:https';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import type { Express } from 'express';
import type { DestinationStream, Logger } from 'pino';
import { createMetrics, type Metrics } from './observability';
import { CircuitBreakers, isCommunityFailure } from './resilience';
import { randomBytes } from 'node:crypto';
import { buildApp } from './app';
import { expressServerClasses } from './http/server-classes';
import { createCache, createPageCache } from './cache';
import { loadConfig, toCommunities, type AppConfig } from './config/config';
import { CommunityHealth } from './interactions/community-health';
import type { Services } from './interactions/services';
import { createLogger } from './log/logger';
import { ensureSandboxPki, startSandbox, type Sandbox } from './sandbox';
import { assembleSecurity } from './security/assemble';
import type { DemoPki } from './security/pki/demo-pki';
import type { Community } from './xca/model';
import { checkDocumentEntryTable } from './fhir/document-reference';
import { imagingTable } from './interactions/imaging/imaging-table';
import { nhsNumberSystem } from './mappings/code-systems';
import { searchParameters } from './mappings/search-parameters';
import { storedQueries } from './mappings/stored-queries';
import { classifyXdsError } from './mappings/xds-errors';
import { loadAuthClaims } from './security/inbound';
import { xuaAttributes } from './security/xua';
import packageJson from '../package.json';

/** A running facade (and its sandbox gateways in sandbox mode). */
export interface RunningService {
  readonly url: string;
  readonly config: AppConfig;
  readonly communities: readonly Community[];
  readonly sandbox: Sandbox | undefined;
  readonly pki: DemoPki | undefined;
  /**
   * Certificate rotation without a restart (SIGHUP): read every certificate, key, trust store and revocation list
   * again, check them all as at startup, then use them for new connections in and out and for new XUA assertions.
   * Rejects, changing nothing, when any cannot be used.
   */
  reloadCredentials(): Promise<void>;
  /** Stop: no new connections, in-flight requests get `graceMs` (default 0), then Redis, pools and sandbox close. */
  close(graceMs?: number): Promise<void>;
}

/**
 * HTTP, or HTTPS when SERVER_TLS_CERT is set; with INBOUND_CLIENT_CA the server asks for client certificates and
 * verifies them (TLS >= 1.2), yet still admits clients without one, who must then bring a bearer token.
 */
function createServer(config: AppConfig, app: Express): Server {
  const context = serverContextOf(config);
  const classes = expressServerClasses(app);
  if (context === undefined) return http.createServer(classes, app);
  return https.createServer({ ...classes, ...context, ...(config.security.inbound.clientCa ? { requestCert: true, rejectUnauthorized: false } : {}) }, app);
}

/** The server's own certificate, and the client CA and revocation lists it verifies with (read now); none for HTTP. */
function serverContextOf(config: AppConfig): SecureContextOptions | undefined {
  const { server, inbound } = config.security;
  if (server.cert === undefined || server.key === undefined) return undefined;
  return {
    cert: fs.readFileSync(server.cert),
    key: fs.readFileSync(server.key),
    minVersion: 'TLSv1.2',
    ...(inbound.clientCa ? { ca: fs.readFileSync(inbound.clientCa) } : {}),
    // A revoked client certificate then fails verification (socket.authorized false): it authenticates nobody.
    ...(inbound.clientCrl ? { crl: fs.readFileSync(inbound.clientCrl) } : {}),
  };
}

/**
 * Every table of mappings/ validated at startup: a broken one stops the service with a MappingTableError naming the
 * file and the path inside it, instead of failing the first request that needs it.
 */
function loadAllMappingTables(): void {
  storedQueries();
  searchParameters();
  nhsNumberSystem();
  classifyXdsError('default');
  checkDocumentEntryTable();
  xuaAttributes();
  loadAuthClaims();
  imagingTable();
}

/** One breaker per community; its state goes to the metrics and, on change, to the log. */
function circuitBreakers(config: AppConfig, communities: readonly Community[], metrics: Metrics, logger: Logger): CircuitBreakers {
  const breakers = new CircuitBreakers({
    failureThreshold: config.resilience.circuitFailureThreshold,
    resetTimeoutMs: config.resilience.circuitResetMs,
    isFailure: isCommunityFailure,
  });
  for (const community of communities) metrics.setCircuitState(community.name, breakers.for(community.name).state());
  breakers.onStateChange((change) => {
    metrics.setCircuitState(change.community, change.to);
    logger.warn({ community: change.community, from: change.from, to: change.to }, 'circuit state changed');
  });
  return breakers;
}

/** Sandbox mode: the demo PKI (created on first start), then the gateways that demand it. */
async function startSandboxMode(config: AppConfig): Promise<{ sandbox: Sandbox; pki: DemoPki; communities: Community[] }> {
  const pki = await ensureSandboxPki(path.join(config.security.sandboxDir, 'pki'));
  const sandbox = await startSandbox({ largeDocumentBytes: config.sandboxLargeDocumentBytes, security: { pki } });
  return { sandbox, pki, communities: toCommunities(sandbox.communities, 'sandbox', true) };
}

/**
 * load config -> (sandbox: demo PKI, start the gateways, point at them) -> security, cache -> build app -> listen.
 * Used by server.ts and, in-process, by the integration tests.
 */
export async function startService(options: { env?: NodeJS.ProcessEnv; logDestination?: DestinationStream } = {}): Promise<RunningService> {
  const config = loadConfig(options.env ?? process.env);
  loadAllMappingTables();
  const logger = createLogger(config.logLevel, options.logDestination);
  const sandboxed = config.mode === 'sandbox' ? await startSandboxMode(config) : undefined;
  const communities = sandboxed?.communities ?? config.communities;
  const closers: Array<() => Promise<void>> = [async () => sandboxed?.sandbox.close()];
  const metrics = createMetrics();
  const security = await assembleSecurity(config, communities, logger, metrics, sandboxed?.pki).catch(async (err: unknown) => {
    await sandboxed?.sandbox.close();
    throw err;
  });
  closers.unshift(() => security.close());
  const cache = createCache(
    {
      ttlSeconds: config.cache.ttlSeconds,
      lockTtlMs: config.cache.lockTtlMs,
      keyPrefix: config.cache.keyPrefix,
      ...(config.cache.redisUrl !== undefined ? { redisUrl: config.cache.redisUrl } : {}),
      ...(config.cache.redisClusterNodes !== undefined ? { redisClusterNodes: config.cache.redisClusterNodes } : {}),
      ...(config.cache.keySecret !== undefined ? { keySecret: config.cache.keySecret } : {}),
      ...(config.cache.encryptionKey !== undefined ? { encryptionKey: config.cache.encryptionKey } : {}),
    },
    logger,
  );
  closers.unshift(() => cache.close());
  const services: Services = {
    communities,
    patientAssigningAuthority: config.patientAssigningAuthority,
    maxUpstreamResponseBytes: config.maxUpstreamResponseBytes,
    health: new CommunityHealth(communities),
    logger,
    cache,
    cacheTtlSeconds: config.cache.ttlSeconds,
    pages: createPageCache(),
    // Replicas sharing a Redis share CACHE_KEY_SECRET, so a cursor made by one is opened by another.
    cursorSecret: config.cache.keySecret ?? randomBytes(32).toString('hex'),
    outbound: security.outbound,
    metrics,
    breakers: circuitBreakers(config, communities, metrics, logger),
    requestDeadlineMs: config.resilience.requestDeadlineMs,
  };
  const app = buildApp(services, security, {
    publicBaseUrl: config.publicBaseUrl,
    version: packageJson.version,
    mode: config.mode,
    maxBinaryResourceBytes: config.maxBinaryResourceBytes,
  });
  const server: Server = await new Promise((resolve) => {
    const s = createServer(config, app);
    s.listen(config.port, config.host, () => resolve(s));
  });
  let draining = false;
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, mode: config.mode, communities: communities.map((c) => c.homeCommunityId) }, 'mhd-xca-facade listening');
  return {
    url: `${config.security.server.cert ? 'https' : 'http'}://127.0.0.1:${port}`,
    config,
    communities,
    sandbox: sandboxed?.sandbox,
    pki: sandboxed?.pki,
    async reloadCredentials() {
      try {
        const context = serverContextOf(config);
        if (context !== undefined) createSecureContext(context); // a bad server certificate or key throws here
        await security.reload();
        if (context !== undefined) (server as https.Server).setSecureContext(context);
      } catch (err) {
        logger.error({ err: err instanceof Error ? err.message : String(err) }, 'credentials not reloaded: the ones in use stay');
        throw err;
      }
    },
    async close(graceMs = 0) {
      // Stop accepting; let in-flight requests finish within the grace period; then cut what is left.
      if (!draining) {
        draining = true;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => server.closeAllConnections(), graceMs);
          // Connections that finish their request while draining become idle: close them as they do.
          const sweeper = setInterval(() => server.closeIdleConnections(), 50);
          timer.unref();
          sweeper.unref();
          server.close(() => {
            clearTimeout(timer);
            clearInterval(sweeper);
            resolve();
          });
          server.closeIdleConnections();
          if (graceMs === 0) server.closeAllConnections();
        });
        for (const close of closers) await close();
      }
    },
  };
}
