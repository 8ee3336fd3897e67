/**
 * W3C Trace Context `tracestate` (section 3.3): vendor-specific key=value pairs, propagated unchanged by a
 * service that adds none of its own (this one). Grammar (3.3.1):
 *   list        = list-member 0*31( OWS "," OWS list-member )      (empty members allowed and dropped)
 *   key         = lcalpha 0*255( lcalpha / DIGIT / "_" / "-" / "*" / "/" )
 *               / ( lcalpha / DIGIT ) 0*240( same ) "@" lcalpha 0*13( same )     (multi-tenant)
 *   value       = 0*255( %x20 / nblk-chr ) nblk-chr,  nblk-chr = %x21-2B / %x2D-3C / %x3E-7E
 * At most 32 members, no key twice (3.3.1.1). An invalid list is dropped whole: a partly understood
 * tracestate must not be passed on as if it were the caller's.
 */

/** Most list members (3.3.1.1). */
export const MAX_TRACESTATE_MEMBERS = 32;
/** Upper bound on the header we look at (32 members of a 256-char key and value, with separators, fit). */
const MAX_TRACESTATE_CHARS = 16_500;

const SIMPLE_KEY = /^[a-z][a-z0-9_\-*/]{0,255}$/;
const TENANT_KEY = /^[a-z0-9][a-z0-9_\-*/]{0,240}@[a-z][a-z0-9_\-*/]{0,13}$/;
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

/** One key=value member. */
export interface TracestateMember {
  readonly key: string;
  readonly value: string;
}

/** Split and validate; undefined when the list is invalid (or empty). */
export function parseTracestateMembers(header: string): TracestateMember[] | undefined {
  if (header.length > MAX_TRACESTATE_CHARS) return undefined;
  const members: TracestateMember[] = [];
  const seen = new Set<string>();
  for (const raw of header.split(',')) {
    const member = raw.replace(/^[ \t]+|[ \t]+$/g, '');
    if (member === '') continue;
    const eq = member.indexOf('=');
    if (eq <= 0) return undefined;
    const key = member.slice(0, eq);
    const value = member.slice(eq + 1);
    if (!(SIMPLE_KEY.test(key) || TENANT_KEY.test(key)) || !VALUE.test(value) || seen.has(key)) return undefined;
    seen.add(key);
    members.push({ key, value });
  }
  if (members.length === 0 || members.length > MAX_TRACESTATE_MEMBERS) return undefined;
  return members;
}

/** The tracestate normalised for propagation (members joined by ","), or undefined when invalid or empty. */
export function parseTracestate(header: string): string | undefined {
  return parseTracestateMembers(header)?.map((m) => `${m.key}=${m.value}`).join(',');
}
