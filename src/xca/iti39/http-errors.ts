import { XcaError, toXcaError } from '../errors';
import { isMtomError } from '../mtom';
import { mtomToXcaError } from '../mtom-errors';

/**
 * Classify what an ITI-39 exchange threw into an XcaError, telling our own deadline from the caller's abort.
 * The TLS codes repeat transport.ts's (which does not export its mapper); if it ever does, use it here.
 */

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_REVOKED', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'CERT_SIGNATURE_FAILURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'HOSTNAME_MISMATCH', 'EPROTO',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** First error code on the error, its cause chain or an AggregateError's members (happy eyeballs). */
function errorCode(err: unknown, depth = 0): string | undefined {
  if (depth > 4 || typeof err !== 'object' || err === null) return undefined;
  const { code, cause, errors } = err as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  if (Array.isArray(errors)) {
    for (const e of errors) {
      const c = errorCode(e, depth + 1);
      if (c) return c;
    }
  }
  return errorCode(cause, depth + 1);
}

/** The timeout error of a community's deadline. */
export function deadlineError(timeoutMs: number): XcaError {
  return new XcaError('timeout', `The responding gateway did not answer within ${timeoutMs} ms`);
}

/** Signals in force during one exchange. */
export interface ExchangeSignals {
  /** Our deadline: aborted with a deadlineError. */
  readonly deadline: AbortSignal;
  /** The caller's cancellation, if any. */
  readonly outer?: AbortSignal;
  readonly timeoutMs: number;
}

/** Map anything thrown during the exchange (before the document streams) to an XcaError. */
export function classifyExchangeError(err: unknown, signals: ExchangeSignals): XcaError {
  if (signals.deadline.aborted) return err instanceof XcaError && err.kind === 'timeout' ? err : deadlineError(signals.timeoutMs);
  if (err instanceof XcaError) return err;
  if (signals.outer?.aborted) {
    const reason: unknown = signals.outer.reason;
    return reason instanceof XcaError ? reason : new XcaError('timeout', 'The request to the responding gateway was cancelled before it answered', { cause: err });
  }
  const code = errorCode(err);
  if (code && (TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_'))) {
    return new XcaError('tls', `The TLS connection to the responding gateway failed (${code})`, { cause: err });
  }
  if (code && TIMEOUT_CODES.has(code)) return new XcaError('timeout', `The responding gateway did not answer within ${signals.timeoutMs} ms`, { cause: err });
  if (isMtomError(err)) return mtomToXcaError(err);
  const normalised = toXcaError(err);
  return normalised.kind === 'network'
    ? new XcaError('network', `The responding gateway could not be reached${code ? ` (${code})` : ''}`, { cause: err })
    : normalised;
}
