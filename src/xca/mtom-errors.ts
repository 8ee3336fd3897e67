import { XcaError, toXcaError } from './errors';
import { isMtomError, type MtomError, type MtomErrorReason } from './mtom';

/**
 * MtomError (src/xca/mtom) → XcaError, so an MTOM answer (ITI-39, RAD-75) fails with the same kinds as any other
 * exchange and the caller maps it through mappings/xds-errors.json like the rest:
 * - the body itself failed ('source-error'): 'network', or 'timeout' when the cause was an abort or a timeout;
 * - the reading was abandoned ('aborted'): 'timeout', since only a cancellation or a deadline does that;
 * - a size limit was reached: 'oversize';
 * - anything else (framing, encoding, unknown Content-ID...): 'unparseable'.
 */

const OVERSIZE: ReadonlySet<MtomErrorReason> = new Set(['header-too-large', 'root-too-large', 'attachment-buffer-exceeded']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_ABORTED', 'ABORT_ERR']);

/** True when `err` or something in its cause chain is an abort or a timeout (ours, undici's, or a DOMException). */
function isAbortOrTimeout(err: unknown, depth = 0): boolean {
  if (depth > 4 || typeof err !== 'object' || err === null) return false;
  if (err instanceof XcaError) return err.kind === 'timeout';
  const { name, code, cause } = err as { name?: unknown; code?: unknown; cause?: unknown };
  if (name === 'AbortError' || name === 'TimeoutError') return true;
  if (typeof code === 'string' && TIMEOUT_CODES.has(code)) return true;
  return isAbortOrTimeout(cause, depth + 1);
}

/** The XcaError an MtomError stands for; the MtomError is kept as `cause` (a timeout XcaError cause is reused). */
export function mtomToXcaError(err: MtomError): XcaError {
  if (err.reason === 'source-error') {
    if (err.cause instanceof XcaError) return err.cause;
    return isAbortOrTimeout(err.cause)
      ? new XcaError('timeout', 'Reading the MTOM response was cancelled or timed out', { cause: err })
      : new XcaError('network', `The MTOM response could not be read from the responding gateway: ${err.message}`, { cause: err });
  }
  if (err.reason === 'aborted') return new XcaError('timeout', 'Reading the MTOM response was cancelled before it completed', { cause: err });
  if (OVERSIZE.has(err.reason)) return new XcaError('oversize', err.message, { cause: err });
  return new XcaError('unparseable', `The MTOM response is not usable: ${err.message}`, { cause: err });
}

/** Anything thrown while reading an MTOM answer → XcaError (MtomError mapped, XcaError kept, the rest normalised). */
export function toMtomXcaError(err: unknown): XcaError {
  return isMtomError(err) ? mtomToXcaError(err) : toXcaError(err);
}
