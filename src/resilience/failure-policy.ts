import { XcaError } from '../xca/errors';

/**
 * Which upstream errors mean what, for the circuit breaker (isFailure) and for retries (isRetryable). Kept
 * here, in one place, so the two policies can be read side by side; the lead may pass other predicates.
 */

/** SOAP fault codes that blame the responder, not our message (SOAP 1.2 Part 1 5.4.6; SOAP 1.1: Server). */
const RECEIVER_FAULTS = new Set(['Receiver', 'Server']);

/**
 * True when `err` says the community itself is unwell: timeout, network, TLS, HTTP 5xx or 429, or a SOAP
 * Receiver/Server fault. Not counted: RegistryErrors and "no documents" (the community answered), Sender
 * faults and other 4xx (our request), oversize/unparseable (one answer's content), and anything that is not
 * an XcaError (our own bug must not open a community's circuit).
 */
export function isCommunityFailure(err: unknown): boolean {
  if (!(err instanceof XcaError)) return false;
  switch (err.kind) {
    case 'timeout':
    case 'network':
    case 'tls':
      return true;
    case 'http-status':
      return err.httpStatus !== undefined && (err.httpStatus >= 500 || err.httpStatus === 429);
    case 'soap-fault':
      return err.faultCode !== undefined && RECEIVER_FAULTS.has(err.faultCode);
    default:
      return false;
  }
}

/**
 * Socket error codes of a connection that failed before any answer: refused, reset, closed by the peer
 * (UND_ERR_SOCKET is undici's "other side closed", typically a keep-alive connection the server had just
 * dropped). Safe to retry for idempotent requests. DNS failures and timeouts are not: they do not heal in ms.
 */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/** Every `code` on the error, its cause chain and AggregateError members (happy eyeballs), up to a depth. */
function codesOf(err: unknown, found: string[] = [], depth = 0): string[] {
  if (depth > 5 || typeof err !== 'object' || err === null) return found;
  const { code, cause, errors } = err as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') found.push(code);
  if (Array.isArray(errors)) for (const member of errors) codesOf(member, found, depth + 1);
  return codesOf(cause, found, depth + 1);
}

const isTlsCode = (code: string): boolean => code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || code === 'EPROTO';

/**
 * True for a refused/reset connection (XcaError 'network' or a raw socket error carrying one of the codes
 * above). Never for TLS refusals (security/tls/tls-connector.ts turns some resets into ERR_TLS_ codes: a
 * refused certificate will be refused again), timeouts or anything with an HTTP answer.
 */
export function isConnectionFailure(err: unknown): boolean {
  if (err instanceof XcaError && err.kind !== 'network') return false;
  const codes = codesOf(err);
  if (codes.some(isTlsCode)) return false;
  return codes.some((code) => CONNECTION_CODES.has(code));
}
