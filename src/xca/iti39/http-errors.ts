import { XcaError, toXcaError } from '../errors';
import { errorCode, TIMEOUT_CODES, tlsFailure } from '../error-codes';
import { isMtomError } from '../mtom';
import { mtomToXcaError } from '../mtom-errors';

/**
 * Classify what an ITI-39 exchange threw into an XcaError, telling our own deadline from the caller's abort.
 * The error codes it reads are shared with transport.ts (error-codes.ts).
 */

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
  const tls = tlsFailure(err);
  if (tls) return tls;
  const code = errorCode(err);
  if (code && TIMEOUT_CODES.has(code)) return new XcaError('timeout', `The responding gateway did not answer within ${signals.timeoutMs} ms`, { cause: err });
  if (isMtomError(err)) return mtomToXcaError(err);
  const normalised = toXcaError(err);
  return normalised.kind === 'network'
    ? new XcaError('network', `The responding gateway could not be reached${code ? ` (${code})` : ''}`, { cause: err })
    : normalised;
}
