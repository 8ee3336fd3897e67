import { loadMappingTable, MappingTableError } from '../../mappings/load';
import type { CodingLike } from './types';

/** One caller attribute of mappings/auth-claims.json: the JWT claim that carries it. */
export interface ClaimAttribute {
  readonly claim: string;
  readonly required: boolean;
  /** Attribute whose value stands in when the claim is absent. */
  readonly fallback?: 'subject' | 'organizationId';
  /** The XUA SAML attribute it becomes upstream (documentation for the outbound assertion builder). */
  readonly xuaAttribute?: string;
}

export type AttributeName = 'subject' | 'subjectName' | 'organizationId' | 'organization' | 'role' | 'purposeOfUse' | 'clientId' | 'tokenId';

/** A client certificate subject accepted in place of a bearer token. */
export interface CertificateSubject {
  readonly subjectName?: string;
  readonly organizationId: string;
  readonly organization: string;
  readonly role: string;
  readonly purposeOfUse: string;
  readonly fingerprint256?: string;
  readonly scopes: readonly string[];
}

export interface SandboxCallerEntry {
  readonly subject: string;
  readonly subjectName: string;
  readonly organizationId: string;
  readonly organization: string;
  readonly role: string;
  readonly purposeOfUse: string;
  readonly scopes: readonly string[];
}

/** mappings/auth-claims.json, validated by mappings/schemas/auth-claims.schema.json. */
export interface AuthClaimsTable {
  readonly attributes: Readonly<Record<AttributeName, ClaimAttribute>>;
  readonly organizationIdentifierSystem: string;
  readonly organizationIdPattern: string;
  readonly roles: { readonly system: string; readonly codePattern: string; readonly displays: Readonly<Record<string, string>> };
  readonly purposesOfUse: { readonly default: string; readonly values: Readonly<Record<string, CodingLike>> };
  readonly clientCertificates: { readonly subjects: Readonly<Record<string, CertificateSubject>> };
  readonly sandbox: SandboxCallerEntry;
}

let table: AuthClaimsTable | undefined;

/**
 * The validated claims table. With `dir`, reads that folder's auth-claims.json (tests, or a deployment's own
 * table) and does not cache it; without, loads mappings/auth-claims.json once.
 */
export function loadAuthClaims(dir?: string): AuthClaimsTable {
  if (dir !== undefined) return checked(loadMappingTable<AuthClaimsTable>('auth-claims', dir));
  table ??= checked(loadMappingTable<AuthClaimsTable>('auth-claims'));
  return table;
}

/**
 * Cross-field rules JSON Schema cannot state: the default purpose of use must be listed, and every configured
 * caller (sandbox, certificate subjects) must have an ODS-shaped organisation, a role of the role pattern and a
 * listed purpose of use, so a bad entry stops startup rather than a request.
 */
function checked(candidate: AuthClaimsTable): AuthClaimsTable {
  const { purposesOfUse, roles, clientCertificates, sandbox } = candidate;
  const fail = (where: string, what: string): never => {
    throw new MappingTableError('auth-claims.json', `${where} ${what}`);
  };
  const listed = (key: string): boolean => Object.prototype.hasOwnProperty.call(purposesOfUse.values, key);
  if (!listed(purposesOfUse.default)) fail('/purposesOfUse/default', `"${purposesOfUse.default}" is not one of /purposesOfUse/values`);
  const entries: [string, CertificateSubject | SandboxCallerEntry][] = [
    ['/sandbox', sandbox],
    ...Object.entries(clientCertificates.subjects).map(([cn, entry]): [string, CertificateSubject] => [`/clientCertificates/subjects/${cn}`, entry]),
  ];
  for (const [where, entry] of entries) {
    if (!new RegExp(candidate.organizationIdPattern).test(entry.organizationId)) fail(`${where}/organizationId`, 'does not match organizationIdPattern');
    if (!new RegExp(roles.codePattern).test(entry.role)) fail(`${where}/role`, 'does not match /roles/codePattern');
    if (!listed(entry.purposeOfUse)) fail(`${where}/purposeOfUse`, 'is not one of /purposesOfUse/values');
  }
  return candidate;
}
