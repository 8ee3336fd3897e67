/**
 * The only ways a value becomes a metric label or a request-log field. Labels are kept forever by the
 * monitoring system and are not scrubbed by the logger's safety net, so nothing taken from a request URL,
 * query string or header may reach them: a route is an Express route PATTERN, validated here, and a community
 * is its configured name or homeCommunityId.
 */

declare const routePatternBrand: unique symbol;

/** An Express route pattern such as `/fhir/DocumentReference/:id`; only routePattern() makes one. */
export type RoutePattern = string & { readonly [routePatternBrand]: true };

/** The label of a request that matched no route (404s, requests refused before routing). */
export const UNMATCHED_ROUTE = 'unmatched' as RoutePattern;

/** Any run of 4+ digits: no route literal needs one, and an NHS number (10 digits) is such a run. */
const LONG_DIGITS = /\d{4,}/;
/** One path segment piece: a literal starting with a letter, `$`, `_` or `.`; `:param`; `*splat`; or `*`. */
const PIECE = /^(?:[A-Za-z$_.][A-Za-z0-9$_.-]*|:[A-Za-z_][A-Za-z0-9_]*\??|\*(?:[A-Za-z_][A-Za-z0-9_]*)?)?$/;

/**
 * Validate an Express route pattern: `req.route.path`, prefixed with the router's mount PATTERN when mounted
 * (never `req.baseUrl`, which is the matched URL and may hold an id), or a constant. Returns
 * UNMATCHED_ROUTE for anything that is not one: a RegExp or array route, a concrete URL (a segment starting
 * with a digit, e.g. `/Patient/9000000009`), a query string, a run of 4+ digits, or more than 200 characters.
 * Express 5 optional groups (`{/:format}`) are accepted.
 */
export function routePattern(path: unknown): RoutePattern {
  if (typeof path !== 'string' || path.length === 0 || path.length > 200 || !path.startsWith('/')) return UNMATCHED_ROUTE;
  if (LONG_DIGITS.test(path)) return UNMATCHED_ROUTE;
  const pieces = path.split(/[/{}]/);
  return pieces.every((piece) => PIECE.test(piece)) ? (path as RoutePattern) : UNMATCHED_ROUTE;
}

/** Label of a community whose name is unusable (never expected with a validated configuration). */
export const INVALID_COMMUNITY = 'invalid';

const OID_URN = /^urn:oid:[0-2](?:\.(?:0|[1-9]\d*))+$/;
const NAME = /^[A-Za-z][A-Za-z0-9 _.-]{0,63}$/;
const TEN_DIGITS = /\d{10}/;

/**
 * A community's metric/log label: its configured name (a letter, then letters, digits, space, _ . -; at most
 * 64 characters; no 10-digit run) or its homeCommunityId (`urn:oid:` + an OID, whose arcs are config, not
 * patient data). Anything else becomes INVALID_COMMUNITY.
 */
export function communityLabel(nameOrHomeCommunityId: string): string {
  if (OID_URN.test(nameOrHomeCommunityId) && nameOrHomeCommunityId.length <= 128) return nameOrHomeCommunityId;
  return NAME.test(nameOrHomeCommunityId) && !TEN_DIGITS.test(nameOrHomeCommunityId) ? nameOrHomeCommunityId : INVALID_COMMUNITY;
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** An HTTP method label; any other method is 'OTHER' (a client cannot mint label values). */
export function methodLabel(method: string): string {
  const upper = method.toUpperCase();
  return KNOWN_METHODS.has(upper) ? upper : 'OTHER';
}

const IDENTIFIER = /^[a-z][a-z0-9_.:-]{0,39}$/i;

/** A short code-given label (cache operation, certificate role); anything else becomes 'other'. */
export function identifierLabel(value: string): string {
  return IDENTIFIER.test(value) && !/\d{4,}/.test(value) ? value : 'other';
}
