import fs from 'node:fs';
import path from 'node:path';
import { fromRoot } from './paths';

/**
 * Security settings (issue "Trust on both sides"): outbound mutual TLS and XUA signing, inbound authentication, rate
 * limiting, the audit file. Read from the environment here and nowhere else; files are checked to exist at startup.
 */
export interface SecuritySettings {
  /** Mutual TLS towards the communities of COMMUNITIES_FILE (per-community overrides in that file). */
  readonly tls: {
    readonly clientCert?: string;
    readonly clientKey?: string;
    readonly ca?: string;
    /** Certificate revocation lists (PEM) of the communities' CAs: a revoked server certificate refuses the call. */
    readonly crl?: string;
  };
  /** XUA assertion signing key and certificate (PEM paths; may be the mTLS leaf). */
  readonly saml: { readonly signingKey?: string; readonly signingCert?: string; readonly issuer?: string };
  /** This initiating gateway's own homeCommunityId (the XUA homeCommunityId attribute). */
  readonly homeCommunityId: string;
  readonly inbound: {
    readonly jwksUrl?: string;
    readonly jwksFile?: string;
    readonly issuer?: string;
    readonly audience?: string;
    /** Client certificates (mutual TLS inbound) verified against this CA; needs the server's own certificate. */
    readonly clientCa?: string;
    /** Revocation lists (PEM) of INBOUND_CLIENT_CA's CAs: a revoked client certificate is not trusted. */
    readonly clientCrl?: string;
    /** Sandbox only: open (no credentials needed) unless SANDBOX_REQUIRE_TOKENS=true. */
    readonly open: boolean;
  };
  /** HTTPS for the facade itself (required for inbound client certificates). */
  readonly server: { readonly cert?: string; readonly key?: string };
  readonly rateLimit: { readonly capacity: number; readonly refillPerSecond: number };
  readonly auditFile: string;
  /** The audit file is renamed aside (and a new one started) once it holds this many bytes. */
  readonly auditRotateBytes: number;
  /** Where the sandbox keeps its demo PKI, demo token key and audit file. */
  readonly sandboxDir: string;
}

type Env = Readonly<Record<string, string | undefined>>;
type Fail = (message: string) => never;

function existingFile(env: Env, name: string, fail: Fail): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (!fs.existsSync(value) || !fs.statSync(value).isFile()) fail(`${name} names a file that does not exist: ${value}`);
  return value;
}

function positive(env: Env, name: string, fallback: number, fail: Fail): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) fail(`${name} must be a positive number, got "${raw}"`);
  return n;
}

/** Parse and check the security settings; `sandbox` relaxes what the demo PKI and open mode provide. */
export function securitySettings(env: Env, mode: 'sandbox' | 'configured', insecure: boolean, fail: Fail): SecuritySettings {
  const sandboxDir = env.SANDBOX_DIR ? path.resolve(env.SANDBOX_DIR) : fromRoot('.sandbox');
  const tls = { clientCert: existingFile(env, 'TLS_CLIENT_CERT', fail), clientKey: existingFile(env, 'TLS_CLIENT_KEY', fail), ca: existingFile(env, 'TLS_CA', fail), crl: existingFile(env, 'TLS_CRL', fail) };
  const saml = { signingKey: existingFile(env, 'SAML_SIGNING_KEY', fail), signingCert: existingFile(env, 'SAML_SIGNING_CERT', fail), issuer: env.SAML_ISSUER || undefined };
  const inbound = {
    jwksUrl: env.AUTH_JWKS_URL || undefined,
    jwksFile: existingFile(env, 'AUTH_JWKS_FILE', fail),
    issuer: env.AUTH_ISSUER || undefined,
    audience: env.AUTH_AUDIENCE || undefined,
    clientCa: existingFile(env, 'INBOUND_CLIENT_CA', fail),
    clientCrl: existingFile(env, 'INBOUND_CLIENT_CRL', fail),
    open: mode === 'sandbox' && env.SANDBOX_REQUIRE_TOKENS !== 'true',
  };
  const server = { cert: existingFile(env, 'SERVER_TLS_CERT', fail), key: existingFile(env, 'SERVER_TLS_KEY', fail) };
  if ((server.cert === undefined) !== (server.key === undefined)) fail('SERVER_TLS_CERT and SERVER_TLS_KEY go together');
  if (tls.crl !== undefined && tls.ca === undefined) fail('TLS_CRL needs TLS_CA: a revocation list is checked against the CA that signed it');
  if (inbound.clientCrl !== undefined && inbound.clientCa === undefined) fail('INBOUND_CLIENT_CRL needs INBOUND_CLIENT_CA: a revocation list is checked against the CA that signed it');
  if (inbound.clientCa !== undefined && server.cert === undefined) fail('INBOUND_CLIENT_CA needs SERVER_TLS_CERT and SERVER_TLS_KEY: client certificates arrive over TLS');
  if (mode === 'configured') {
    if (!insecure && (tls.clientCert === undefined || tls.clientKey === undefined || tls.ca === undefined)) {
      fail('TLS_CLIENT_CERT, TLS_CLIENT_KEY and TLS_CA are required: the communities admit initiating gateways only with mutual TLS');
    }
    if (!insecure && (saml.signingKey === undefined || saml.signingCert === undefined)) {
      fail('SAML_SIGNING_KEY and SAML_SIGNING_CERT are required: every request carries a signed XUA assertion');
    }
    const tokens = inbound.jwksUrl !== undefined || inbound.jwksFile !== undefined;
    if (!tokens && inbound.clientCa === undefined) fail('AUTH_JWKS_URL or AUTH_JWKS_FILE is required (or INBOUND_CLIENT_CA for client certificates): every FHIR request must be authenticated');
    if (tokens && (inbound.issuer === undefined || inbound.audience === undefined)) fail('AUTH_ISSUER and AUTH_AUDIENCE are required to verify access tokens');
    if (env.AUDIT_FILE === undefined || env.AUDIT_FILE === '') fail('AUDIT_FILE is required: every search and retrieve is audited');
  }
  const homeCommunityId = env.HOME_COMMUNITY_ID || (mode === 'sandbox' ? 'urn:oid:2.999.1.99' : fail('HOME_COMMUNITY_ID (urn:oid:...) of this initiating gateway is required'));
  if (!/^urn:oid:[0-2](\.(0|[1-9]\d*))+$/.test(homeCommunityId)) fail(`HOME_COMMUNITY_ID must be urn:oid:..., got "${homeCommunityId}"`);
  return {
    tls,
    saml,
    homeCommunityId,
    inbound,
    server,
    rateLimit: { capacity: positive(env, 'RATE_LIMIT_BURST', 120, fail), refillPerSecond: positive(env, 'RATE_LIMIT_PER_SECOND', 20, fail) },
    auditFile: env.AUDIT_FILE || path.join(sandboxDir, 'audit.jsonl'),
    auditRotateBytes: positive(env, 'AUDIT_ROTATE_BYTES', 256 * 1024 * 1024, fail),
    sandboxDir,
  };
}
