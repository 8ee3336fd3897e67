import { AuthError, DEFAULT_REALM } from './errors';
import type { Caller } from './types';

/**
 * SMART App Launch scopes for FHIR resources (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html):
 * `<context>/<ResourceType or *>.<permissions>`, context `system`, `user` or `patient`. Permissions are either
 * SMART v1 (`read` = read and search, `write`, `*` = everything) or SMART v2 letters in the order c r u d s
 * (`r` read, `s` search, `rs` both). This facade only reads, so only r and s matter.
 * Scopes it cannot enforce grant nothing: v2 granular scopes with a `?param=value` restriction, `write`, and
 * anything that is not a resource scope (openid, launch/patient, ...).
 */

export type ScopeContext = 'system' | 'user' | 'patient';
export type ScopeOperation = 'read' | 'search';

/** What one parsed scope grants. */
export interface ScopeGrant {
  readonly context: ScopeContext;
  /** A resource type, or `*` for all. */
  readonly resourceType: string;
  readonly read: boolean;
  readonly search: boolean;
}

const RESOURCE_SCOPE = /^(system|user|patient)\/([A-Z][A-Za-z]*|\*)\.([a-z*]+)$/;
const V2_PERMISSIONS = /^c?r?u?d?s?$/;
/** When several scopes grant access, the broadest context wins (it has no patient or user restriction). */
const CONTEXT_ORDER: readonly ScopeContext[] = ['system', 'user', 'patient'];

/** Parse one scope; undefined when it grants no read or search this facade can honour. */
export function parseScope(scope: string): ScopeGrant | undefined {
  const match = RESOURCE_SCOPE.exec(scope);
  if (match === null) return undefined;
  const [, context, resourceType, permissions] = match as unknown as [string, ScopeContext, string, string];
  if (permissions === 'read' || permissions === '*') return { context, resourceType, read: true, search: true };
  if (permissions === 'write' || !V2_PERMISSIONS.test(permissions)) return undefined;
  const grant = { context, resourceType, read: permissions.includes('r'), search: permissions.includes('s') };
  return grant.read || grant.search ? grant : undefined;
}

/** The scope contexts under which `caller` may perform `operation` on `resourceType`, broadest first. */
export function grantingContexts(caller: Caller, resourceType: string, operation: ScopeOperation): ScopeContext[] {
  const contexts = new Set<ScopeContext>();
  for (const scope of caller.scopes) {
    const grant = parseScope(scope);
    if (grant === undefined || (grant.resourceType !== '*' && grant.resourceType !== resourceType)) continue;
    if (operation === 'read' ? grant.read : grant.search) contexts.add(grant.context);
  }
  return CONTEXT_ORDER.filter((context) => contexts.has(context));
}

/** The context to name in a refusal: the one the caller already uses, so the message asks for the right scope. */
function suggestedContext(caller: Caller): ScopeContext {
  for (const scope of caller.scopes) {
    const match = RESOURCE_SCOPE.exec(scope);
    if (match !== null) return match[1] as ScopeContext;
  }
  return caller.via === 'jwt' ? 'user' : 'system';
}

/**
 * Require a scope granting `operation` on `resourceType`; returns the broadest granting context. A `patient`
 * context means the token only allows the patient it was launched for: the caller of this function must check
 * the requested patient against that context (this module has no patient context to compare with).
 * @throws AuthError FORBIDDEN (403, WWW-Authenticate error="insufficient_scope") naming the scope needed.
 */
export function requireScope(caller: Caller, resourceType: string, operation: ScopeOperation, realm: string = DEFAULT_REALM): ScopeContext {
  const [context] = grantingContexts(caller, resourceType, operation);
  if (context !== undefined) return context;
  const needed = `${suggestedContext(caller)}/${resourceType}.${operation === 'read' ? 'r' : 's'}`;
  throw AuthError.insufficientScope(
    realm,
    `The access token does not allow ${operation} on ${resourceType}: it needs scope ${needed} (or .rs, or SMART v1 .read)`,
    needed,
  );
}

/** Split the `scope` (space-separated string) and `scp` (array or string) claims into one list, without repeats. */
export function scopesFromClaims(scope: unknown, scp: unknown): string[] | undefined {
  const out: string[] = [];
  for (const value of [scope, scp]) {
    if (value === undefined) continue;
    const items = typeof value === 'string' ? value.split(' ') : value;
    if (!Array.isArray(items) || !items.every((item): item is string => typeof item === 'string')) return undefined;
    for (const item of items) if (item !== '' && !out.includes(item)) out.push(item);
  }
  return out;
}
