import { AuthError, DEFAULT_REALM } from './errors';
import { type SandboxCallerEntry, loadAuthClaims, type AttributeName, type AuthClaimsTable } from './claims-table';
import { scopesFromClaims } from './scopes';
import type { Caller, CallerVia, ClientCertificateInfo, CodingLike } from './types';

/**
 * Claims -> Caller, driven by mappings/auth-claims.json: which claim carries each XUA subject attribute
 * (ITI TF-2 3.40.4.1.2), how role and purpose of use are coded, which client certificates stand for which caller.
 * Every value that reaches the audit trail or a cache key is checked here first.
 */

type Claims = Readonly<Record<string, unknown>>;

/** Raised while mapping; the authenticator turns it into a 401 invalid_token (or 403 for certificates). */
export class ClaimError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClaimError';
  }
}

const MAX_ATTRIBUTE_LENGTH = 256;
const CONTROL = /[\u0000-\u001f\u007f]/;

function text(value: unknown, claim: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_ATTRIBUTE_LENGTH || CONTROL.test(value)) {
    throw new ClaimError(`claim ${claim} must be a non-empty string of at most ${MAX_ATTRIBUTE_LENGTH} printable characters`);
  }
  return value;
}

function attribute(claims: Claims, table: AuthClaimsTable, name: AttributeName): string | undefined {
  const { claim, required } = table.attributes[name];
  const value = claims[claim];
  if (value === undefined || value === null) {
    if (required) throw new ClaimError(`the token lacks the ${claim} claim`);
    return undefined;
  }
  return text(value, claim);
}

/** Role code -> Coding in the table's role code system (display for known SDS role codes). */
export function roleCoding(code: string, table: AuthClaimsTable): CodingLike {
  if (!new RegExp(table.roles.codePattern).test(code)) throw new ClaimError(`role "${code}" is not a code of ${table.roles.system}`);
  const display = table.roles.displays[code.slice(-5)];
  return display === undefined ? { system: table.roles.system, code } : { system: table.roles.system, code, display };
}

/** purpose_of_use value (XSPA word or ActReason code) -> ActReason Coding; unknown values are refused. */
export function purposeOfUseCoding(value: string | undefined, table: AuthClaimsTable): CodingLike {
  const key = value ?? table.purposesOfUse.default;
  if (!Object.prototype.hasOwnProperty.call(table.purposesOfUse.values, key)) {
    throw new ClaimError(`purpose of use "${key}" is not accepted (mappings/auth-claims.json purposesOfUse)`);
  }
  return table.purposesOfUse.values[key] as CodingLike;
}

function organizationId(value: string, table: AuthClaimsTable): string {
  if (!new RegExp(table.organizationIdPattern).test(value)) throw new ClaimError(`organisation id "${value}" is not an ODS code`);
  return value;
}

/** Map the claims of a verified JWT to a Caller. @throws ClaimError */
export function callerFromClaims(claims: Claims, table: AuthClaimsTable = loadAuthClaims()): Caller {
  const subject = attribute(claims, table, 'subject') as string;
  const orgId = organizationId(attribute(claims, table, 'organizationId') as string, table);
  const scopes = scopesFromClaims(claims.scope, claims.scp);
  if (scopes === undefined) throw new ClaimError('the scope / scp claims must be a space-separated string or an array of strings');
  const issuer = typeof claims.iss === 'string' ? claims.iss : undefined;
  const clientId = attribute(claims, table, 'clientId');
  const tokenId = attribute(claims, table, 'tokenId');
  return {
    subject,
    subjectName: attribute(claims, table, 'subjectName') ?? subject,
    organizationId: orgId,
    organization: attribute(claims, table, 'organization') ?? orgId,
    role: roleCoding(attribute(claims, table, 'role') as string, table),
    purposeOfUse: purposeOfUseCoding(attribute(claims, table, 'purposeOfUse'), table),
    scopes,
    via: 'jwt',
    ...(issuer === undefined ? {} : { issuer }),
    ...(clientId === undefined ? {} : { clientId }),
    ...(tokenId === undefined ? {} : { tokenId }),
  };
}

function normaliseFingerprint(value: string): string {
  return value.replace(/:/g, '').toUpperCase();
}

/**
 * Map a client certificate the TLS layer verified to a Caller: its subject CN must be listed in the table's
 * clientCertificates.subjects (and match the pinned fingerprint when one is given).
 * @throws AuthError 401 when the certificate is not a credential (untrusted, expired by `now`, no CN), 403 when it is
 *   not registered
 */
export function callerFromCertificate(cert: ClientCertificateInfo, table: AuthClaimsTable = loadAuthClaims(), realm = DEFAULT_REALM, now: Date = new Date()): Caller {
  if (!cert.trusted) throw AuthError.missing(realm, 'The client certificate was not issued by a trusted CA and no bearer token was given');
  if (cert.validTo !== undefined && Date.parse(cert.validTo) < now.getTime()) {
    throw AuthError.missing(realm, `The client certificate expired at ${cert.validTo} and no bearer token was given`);
  }
  const cn = cert.subjectCN;
  if (cn === undefined || cn === '') throw AuthError.missing(realm, 'The client certificate has no subject CN');
  const entry = Object.prototype.hasOwnProperty.call(table.clientCertificates.subjects, cn) ? table.clientCertificates.subjects[cn] : undefined;
  if (entry === undefined) throw new AuthError('FORBIDDEN', `Client certificate CN=${cn} is not registered for access`);
  if (entry.fingerprint256 !== undefined && normaliseFingerprint(entry.fingerprint256) !== normaliseFingerprint(cert.fingerprint256)) {
    throw new AuthError('FORBIDDEN', `Client certificate CN=${cn} does not match the certificate registered for it`);
  }
  return fixedCaller({ ...entry, subject: cn, subjectName: entry.subjectName ?? cn }, 'client-certificate', table, cn);
}

/** The caller every request is attributed to in the sandbox's open mode (no credentials required). */
export function sandboxCaller(table: AuthClaimsTable = loadAuthClaims()): Caller {
  return fixedCaller(table.sandbox, 'sandbox-open', table);
}

/** A caller fixed by the claims table rather than a token: the sandbox's, or a listed certificate subject's. */
type FixedEntry = SandboxCallerEntry;

/** A caller configured in the table rather than asserted by a token. */
export function fixedCaller(entry: FixedEntry, via: CallerVia, table: AuthClaimsTable, clientId?: string): Caller {
  const caller: Caller = {
    subject: entry.subject,
    subjectName: entry.subjectName,
    organizationId: organizationId(entry.organizationId, table),
    organization: entry.organization,
    role: roleCoding(entry.role, table),
    purposeOfUse: purposeOfUseCoding(entry.purposeOfUse, table),
    scopes: [...entry.scopes],
    via,
  };
  return clientId === undefined ? caller : { ...caller, clientId };
}

/**
 * A stable string of organisation, role and purpose of use: callers that share it may share cached answers
 * (what a community returns can depend on these XUA attributes, never on the person's name).
 */
export function accessContextOf(caller: Caller): string {
  const { organizationId: org, role, purposeOfUse: pou } = caller;
  return [org, role.system, role.code, pou.system, pou.code].map(encodeURIComponent).join('|');
}
