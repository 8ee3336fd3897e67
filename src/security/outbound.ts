import fs from 'node:fs';
import { createSecureContext, type ConnectionOptions } from 'node:tls';
import type { Dispatcher } from 'undici';
import type { SecuritySettings } from '../config/security';
import type { Community } from '../xca/model';
import type { Caller } from './inbound';
import { createCommunityAgent } from '../resilience/community-agent';
import { MIN_TLS_VERSION } from './tls/mtls-agent';
import { buildSecurityHeader } from './wss';
import type { XuaSigner, XuaSubject } from './xua';

/**
 * What every outbound ITI-38 / ITI-39 / RAD-75 call carries to be admitted by a responding gateway: a mutual-TLS
 * dispatcher for the community (leaf + intermediate, the community's trust store, TLS >= 1.2, verification always
 * on) and a signed XUA assertion built for the authenticated caller (never from headers a caller can forge).
 */
export interface OutboundCredentials {
  /** PEM of the client chain, key and trust store. */
  readonly clientChainPem: string;
  readonly clientKeyPem: string;
  readonly caPem: string;
  /** Revocation lists (PEM) checked in every handshake, when configured (TLS_CRL). */
  readonly crlPem?: string;
}

export interface OutboundSecurity {
  /** Per-community call options: spread into the ITI-38/39/RAD-75 call context. */
  forCall(community: Community, caller: Caller): { dispatcher?: Dispatcher; securityHeader?: () => string };
  /** Read every credential again (throws, changing nothing, when one cannot be used); `defaults` as at creation. */
  reload(defaults?: OutboundDefaults): void;
  close(): Promise<void>;
}

/** The XUA subject of a caller, with this gateway's own homeCommunityId. */
export function xuaSubjectOf(caller: Caller, homeCommunityId: string): XuaSubject {
  return {
    nameId: caller.subject,
    subjectName: caller.subjectName,
    organization: caller.organization,
    organizationId: caller.organizationId,
    homeCommunityId,
    role: { code: caller.role.code, system: caller.role.system, ...(caller.role.display ? { display: caller.role.display } : {}) },
    purposeOfUse: { code: caller.purposeOfUse.code, system: caller.purposeOfUse.system, ...(caller.purposeOfUse.display ? { display: caller.purposeOfUse.display } : {}) },
  };
}

const read = (file: string): string => fs.readFileSync(file, 'utf8');

/** Credentials of one community: its own overrides from COMMUNITIES_FILE, else the TLS_* settings. */
function credentialsOf(community: Community, settings: SecuritySettings): OutboundCredentials | undefined {
  const cert = community.tls?.clientCert ?? settings.tls.clientCert;
  const key = community.tls?.clientKey ?? settings.tls.clientKey;
  const ca = community.tls?.ca ?? settings.tls.ca;
  if (cert === undefined || key === undefined || ca === undefined) return undefined;
  return { clientChainPem: read(cert), clientKeyPem: read(key), caPem: read(ca), ...(settings.tls.crl ? { crlPem: read(settings.tls.crl) } : {}) };
}

/** What the outbound calls are made with: the XUA signer and each https community's TLS options. */
interface OutboundMaterial {
  readonly signer: XuaSigner | undefined;
  readonly tls: ReadonlyMap<string, ConnectionOptions>;
}

/** The TLS options of one community's connections; checked by building a context (a bad PEM or key throws here). */
function tlsOptionsOf(credentials: OutboundCredentials): ConnectionOptions {
  const options: ConnectionOptions = {
    cert: credentials.clientChainPem,
    key: credentials.clientKeyPem,
    ca: credentials.caPem,
    ...(credentials.crlPem !== undefined ? { crl: credentials.crlPem } : {}),
    minVersion: MIN_TLS_VERSION,
  };
  createSecureContext(options);
  return options;
}

const usesHttps = (community: Community): boolean =>
  [community.iti38Url, community.iti39Url, community.rad75Url].some((u) => u !== undefined && u.startsWith('https://'));

/** Read the signer and every https community's credentials from their files (or `defaults`); throws on a bad one. */
function readMaterial(communities: readonly Community[], settings: SecuritySettings, defaults: OutboundDefaults | undefined): OutboundMaterial {
  const signer: XuaSigner | undefined =
    defaults?.signer ??
    (settings.saml.signingKey && settings.saml.signingCert ? { keyPem: read(settings.saml.signingKey), certPem: read(settings.saml.signingCert) } : undefined);
  const tls = new Map<string, ConnectionOptions>();
  for (const community of communities.filter(usesHttps)) {
    const credentials = defaults?.credentials ?? credentialsOf(community, settings);
    if (credentials === undefined) throw new Error(`community ${community.name} (${community.homeCommunityId}) uses https but has no TLS client certificate, key and CA`);
    tls.set(community.homeCommunityId, tlsOptionsOf(credentials));
  }
  return { signer, tls };
}

/** Credentials that replace the TLS_* / SAML_* settings (the sandbox's demo PKI). */
export interface OutboundDefaults {
  readonly credentials: OutboundCredentials;
  readonly signer: XuaSigner;
}

/**
 * Build the outbound security of every community. `defaults` replaces the TLS_* / SAML_* settings (the sandbox's
 * demo PKI). A community with an https URL and no credentials is a startup error (no fallback to anonymous TLS).
 * reload() reads every credential again: all of it is checked before any is used, and then every call and new XUA
 * assertion uses it (connections open before it finish their calls in flight and close).
 */
export function createOutboundSecurity(options: {
  communities: readonly Community[];
  settings: SecuritySettings;
  defaults?: OutboundDefaults;
  /** Connection pool of each community (cap on concurrent connections, keep-alive). */
  pool?: { connections: number; keepAliveTimeoutMs: number };
}): OutboundSecurity {
  const { settings, communities } = options;
  let material = readMaterial(communities, settings, options.defaults);
  const dispatchers = new Map<string, Dispatcher>();
  const pool = { connections: options.pool?.connections ?? 16, keepAliveTimeoutMs: options.pool?.keepAliveTimeoutMs ?? 30_000 };
  // A keep-alive pool per community, capped, whose every connection is mutual TLS >= 1.2 with verification on,
  // with the credentials in force when it opens.
  const poolOf = (id: string): Dispatcher =>
    createCommunityAgent({ ...pool, ...(material.tls.has(id) ? { tls: (): ConnectionOptions => material.tls.get(id) as ConnectionOptions } : {}) });
  for (const community of communities) dispatchers.set(community.homeCommunityId, poolOf(community.homeCommunityId));
  /** Pools replaced by a reload, finishing their requests in flight before they close. */
  const retiring = new Set<Promise<void>>();
  return {
    forCall(community, caller) {
      const dispatcher = dispatchers.get(community.homeCommunityId);
      const subject = xuaSubjectOf(caller, settings.homeCommunityId);
      const { signer } = material;
      return {
        ...(dispatcher ? { dispatcher } : {}),
        ...(signer ? { securityHeader: () => buildSecurityHeader({ subject, signer, ...(settings.saml.issuer ? { issuer: settings.saml.issuer } : {}) }) } : {}),
      };
    },
    reload(defaults) {
      material = readMaterial(communities, settings, defaults);
      // A kept-alive connection was verified with the old trust store and revocation lists, and presents the old
      // client certificate: with steady traffic it would never close. Each TLS pool is replaced, so every call from
      // now on opens its connection with what was just read; the old pool closes once its calls in flight are done.
      for (const id of material.tls.keys()) {
        const old = dispatchers.get(id);
        dispatchers.set(id, poolOf(id));
        if (old === undefined) continue;
        const closing = old.close().catch(() => undefined);
        retiring.add(closing);
        void closing.finally(() => retiring.delete(closing));
      }
    },
    async close() {
      await Promise.all([...dispatchers.values()].map((d) => d.close()));
      await Promise.all(retiring);
    },
  };
}
