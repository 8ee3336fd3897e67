import fs from 'node:fs';
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

/**
 * Build the outbound security of every community. `defaults` replaces the TLS_* / SAML_* settings (the sandbox's
 * demo PKI). A community with an https URL and no credentials is a startup error (no fallback to anonymous TLS).
 */
export function createOutboundSecurity(options: {
  communities: readonly Community[];
  settings: SecuritySettings;
  defaults?: { credentials: OutboundCredentials; signer: XuaSigner };
  /** Connection pool of each community (cap on concurrent connections, keep-alive). */
  pool?: { connections: number; keepAliveTimeoutMs: number };
}): OutboundSecurity {
  const { settings } = options;
  const signer: XuaSigner | undefined =
    options.defaults?.signer ??
    (settings.saml.signingKey && settings.saml.signingCert ? { keyPem: read(settings.saml.signingKey), certPem: read(settings.saml.signingCert) } : undefined);
  const dispatchers = new Map<string, Dispatcher>();
  for (const community of options.communities) {
    const urls = [community.iti38Url, community.iti39Url, community.rad75Url].filter((u): u is string => u !== undefined);
    const pool = { connections: options.pool?.connections ?? 16, keepAliveTimeoutMs: options.pool?.keepAliveTimeoutMs ?? 30_000 };
    if (!urls.some((u) => u.startsWith('https://'))) {
      dispatchers.set(community.homeCommunityId, createCommunityAgent(pool));
      continue;
    }
    const credentials = options.defaults?.credentials ?? credentialsOf(community, settings);
    if (credentials === undefined) throw new Error(`community ${community.name} (${community.homeCommunityId}) uses https but has no TLS client certificate, key and CA`);
    // A keep-alive pool per community, capped, whose every connection is mutual TLS >= 1.2 with verification on.
    dispatchers.set(
      community.homeCommunityId,
      createCommunityAgent({
        ...pool,
        tls: {
          cert: credentials.clientChainPem,
          key: credentials.clientKeyPem,
          ca: credentials.caPem,
          ...(credentials.crlPem !== undefined ? { crl: credentials.crlPem } : {}),
          minVersion: MIN_TLS_VERSION,
        },
      }),
    );
  }
  return {
    forCall(community, caller) {
      const dispatcher = dispatchers.get(community.homeCommunityId);
      const subject = xuaSubjectOf(caller, settings.homeCommunityId);
      return {
        ...(dispatcher ? { dispatcher } : {}),
        ...(signer ? { securityHeader: () => buildSecurityHeader({ subject, signer, ...(settings.saml.issuer ? { issuer: settings.saml.issuer } : {}) }) } : {}),
      };
    },
    async close() {
      await Promise.all([...dispatchers.values()].map((d) => d.close()));
    },
  };
}
