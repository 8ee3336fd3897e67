import path from 'node:path';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { createAuditTrail, type AuditTrail } from '../audit';
import { openEntry, sealEntry } from '../cache/envelope';
import type { AppConfig } from '../config/config';
import type { Community } from '../xca/model';
import type { Metrics } from '../observability';
import { CertificateWatch, type WatchedCertificate, type WatchedRevocationList } from './certificate-watch';
import { createAuthenticator, createDemoSigningKey, createRateLimiter, DEMO_AUDIENCE, DEMO_ISSUER, readDemoSigningKey, type Authenticator, type RateLimiter } from './inbound';
import { createOutboundSecurity, type OutboundDefaults, type OutboundSecurity } from './outbound';
import { checkRevocationLists, revokedCertificates, type RevokedCertificates } from './pki/crl';
import type { DemoPki } from './pki/demo-pki';
import fs from 'node:fs';

/** Everything the service needs to trust and be trusted, assembled once at startup. */
export interface SecurityServices {
  readonly outbound: OutboundSecurity;
  readonly inbound: {
    readonly open: boolean;
    readonly authenticator: Authenticator | undefined;
    readonly limiter: RateLimiter;
    /** True for a client certificate that INBOUND_CLIENT_CRL, as last loaded, revokes (see http/auth.ts). */
    readonly isRevoked: (serialNumber: string, certificateDer: () => Uint8Array) => boolean;
  };
  readonly audit: AuditTrail;
  readonly certificates: CertificateWatch;
  /** The audit JSON-lines file (subject access requests read it). */
  readonly auditFile: string;
  /**
   * Read every certificate, key, trust store and revocation list again and check them as at startup; then use them
   * for new outbound connections and XUA assertions, and watch them. Throws (CertificateError, RevocationListError
   * or an Error naming the community), changing nothing, when any cannot be used.
   */
  reload(): Promise<void>;
  close(): Promise<void>;
}

async function inboundAuthenticator(config: AppConfig): Promise<Authenticator | undefined> {
  const { inbound, sandboxDir } = config.security;
  if (inbound.open) return undefined;
  if (config.mode === 'sandbox') {
    // SANDBOX_REQUIRE_TOKENS=true: tokens minted with the demo key (npm run token) are required.
    const dir = path.join(sandboxDir, 'demo-token');
    const key = readDemoSigningKey(dir) ?? (await createDemoSigningKey(dir));
    return createAuthenticator({ jwksFile: key.jwksFile, issuer: DEMO_ISSUER, audience: DEMO_AUDIENCE });
  }
  // Bearer tokens when a JWKS is configured; client certificates (verified by the TLS server against
  // INBOUND_CLIENT_CA and listed in mappings/auth-claims.json) either way.
  return createAuthenticator({
    issuer: inbound.issuer ?? '',
    audience: inbound.audience ?? '',
    ...(inbound.jwksUrl ? { jwksUrl: inbound.jwksUrl } : {}),
    ...(inbound.jwksFile ? { jwksFile: inbound.jwksFile } : {}),
  });
}

function auditRedis(config: AppConfig, logger: Logger): { client: Redis; options: Parameters<typeof createAuditTrail>[0]['redis'] } | undefined {
  const { redisUrl, encryptionKey, keyPrefix } = config.cache;
  if (redisUrl === undefined || encryptionKey === undefined) {
    if (config.cache.redisClusterNodes) logger.info('audit records go to AUDIT_FILE only: the Redis stream copy needs a standalone REDIS_URL');
    return undefined;
  }
  const client = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 500, lazyConnect: false });
  client.on('error', () => undefined);
  const key = Buffer.from(encryptionKey, 'hex');
  const stream = `${keyPrefix}audit`;
  return {
    client,
    options: {
      client,
      stream,
      maxLen: 100_000,
      encrypt: (plain) => sealEntry(key, stream, plain.toString('base64')),
      decrypt: (sealed) => {
        const opened = openEntry(key, stream, sealed);
        if (!opened.ok || typeof opened.value !== 'string') throw new Error('audit stream entry cannot be decrypted');
        return Buffer.from(opened.value, 'base64');
      },
    },
  };
}

function watchedCertificates(config: AppConfig, pki: DemoPki | undefined): WatchedCertificate[] {
  const { tls, saml, server } = config.security;
  const out: WatchedCertificate[] = [];
  if (pki) {
    out.push({ role: 'sandbox facade client and XUA signing', chainFile: pki.facade.chain, keyFile: pki.facade.key, trustFile: pki.rootCaCert, requiredUsages: ['clientAuth'] });
  } else {
    if (tls.clientCert && tls.clientKey && tls.ca) out.push({ role: 'TLS client', chainFile: tls.clientCert, keyFile: tls.clientKey, trustFile: tls.ca, requiredUsages: ['clientAuth'] });
    if (saml.signingCert && saml.signingKey) out.push({ role: 'XUA signing', chainFile: saml.signingCert, keyFile: saml.signingKey, trustFile: tls.ca ?? saml.signingCert });
  }
  // The facade's own HTTPS certificate: its clients judge its trust; here its dates, key and purpose (its own chain
  // as the anchor, as for a self-standing XUA signing certificate).
  if (server.cert && server.key) out.push({ role: 'HTTPS server', chainFile: server.cert, keyFile: server.key, trustFile: server.cert, requiredUsages: ['serverAuth'] });
  return out;
}

const read = (file: string): string => fs.readFileSync(file, 'utf8');

/**
 * TLS_CRL (checked against TLS_CA and every community's own CA) and INBOUND_CLIENT_CRL (against INBOUND_CLIENT_CA):
 * a list that is out of date or not signed by its CA stops startup (RevocationListError).
 */
async function checkConfiguredRevocationLists(config: AppConfig, communities: readonly Community[], logger: Logger): Promise<WatchedRevocationList[]> {
  const { tls, inbound } = config.security;
  const configured: Array<{ role: string; file: string; trustPem: string }> = [];
  if (tls.crl !== undefined && tls.ca !== undefined) {
    const anchors = [tls.ca, ...communities.flatMap((c) => (c.tls?.ca ? [c.tls.ca] : []))].map(read).join('');
    configured.push({ role: "communities' TLS (TLS_CRL)", file: tls.crl, trustPem: anchors });
  }
  if (inbound.clientCrl !== undefined && inbound.clientCa !== undefined) {
    configured.push({ role: 'inbound client certificates (INBOUND_CLIENT_CRL)', file: inbound.clientCrl, trustPem: read(inbound.clientCa) });
  }
  const watched: WatchedRevocationList[] = [];
  for (const { role, file, trustPem } of configured) {
    const lists = await checkRevocationLists(role, file, read(file), trustPem);
    logger.info({ revocationLists: lists.length, role }, 'certificate revocation lists loaded');
    for (const list of lists) watched.push({ role: `${role} revocation list of ${list.issuer}`, source: file, thisUpdate: list.thisUpdate, nextUpdate: list.nextUpdate });
  }
  return watched;
}

/** The sandbox's demo PKI as the outbound credentials and XUA signer. */
function demoDefaults(pki: DemoPki): OutboundDefaults {
  return {
    credentials: { clientChainPem: read(pki.facade.chain), clientKeyPem: read(pki.facade.key), caPem: read(pki.rootCaCert) },
    signer: { keyPem: read(pki.facade.key), certPem: read(pki.facade.cert) },
  };
}

/** Assemble outbound and inbound security, the audit trail and the certificate watch (startup checks run here). */
export async function assembleSecurity(config: AppConfig, communities: readonly Community[], logger: Logger, metrics: Metrics, pki?: DemoPki): Promise<SecurityServices> {
  const revocationLists = await checkConfiguredRevocationLists(config, communities, logger);
  const certificates = new CertificateWatch(
    watchedCertificates(config, pki),
    logger,
    (statuses) => {
      for (const s of statuses) if (s.daysUntilExpiry !== undefined) metrics.setCertificateExpiryDays(s.role, s.daysUntilExpiry);
    },
    { revocationLists },
  );
  certificates.check(true);
  certificates.start();
  const outbound = createOutboundSecurity({
    communities,
    settings: config.security,
    pool: { connections: config.resilience.upstreamMaxConnections, keepAliveTimeoutMs: 30_000 },
    ...(pki ? { defaults: demoDefaults(pki) } : {}),
  });
  const redis = auditRedis(config, logger);
  const audit = createAuditTrail({ file: config.security.auditFile, rotateBytes: config.security.auditRotateBytes, logger, ...(redis ? { redis: redis.options } : {}) });
  await audit.ready();
  const authenticator = await inboundAuthenticator(config);
  const { capacity, refillPerSecond } = config.security.rateLimit;
  const { clientCrl } = config.security.inbound;
  const readRevoked = (): RevokedCertificates | undefined => (clientCrl === undefined ? undefined : revokedCertificates(read(clientCrl)));
  let revoked = readRevoked();
  return {
    outbound,
    inbound: {
      open: config.security.inbound.open,
      authenticator,
      limiter: createRateLimiter({ capacity, refillPerSecond }),
      isRevoked: (serialNumber, der) => revoked?.has(serialNumber, der) ?? false,
    },
    audit,
    certificates,
    auditFile: config.security.auditFile,
    async reload() {
      const lists = await checkConfiguredRevocationLists(config, communities, logger);
      const watchNew = certificates.prepare(watchedCertificates(config, pki), lists);
      const revokedNew = readRevoked();
      outbound.reload(pki ? demoDefaults(pki) : undefined);
      revoked = revokedNew;
      watchNew();
      logger.info({ certificates: certificates.snapshot().map((c) => ({ role: c.role, notAfter: c.notAfter })) }, 'credentials reloaded');
    },
    async close() {
      certificates.stop();
      await audit.close();
      redis?.client.disconnect();
      await outbound.close();
    },
  };
}
