/**
 * The one error type of the XCA wire layer. Everything that goes wrong between "we built a request" and "we hold
 * a parsed AdhocQueryResponse" (transport, TLS, SOAP Fault, unreadable XML, limits) is an XcaError with a `kind`
 * the interactions layer maps onto the service's error catalogue. Registry errors inside a well-formed response
 * are NOT XcaErrors: they travel in AdhocQueryResponse.errors (ITI TF-2 3.38.4.2.3) for the caller to interpret.
 *
 * Messages are written to be shown to a user: no stack, no body dump, no patient data.
 */

/** `circuit-open`: not sent at all, the community's circuit breaker is open after repeated failures. */
export type XcaErrorKind = 'soap-fault' | 'http-status' | 'timeout' | 'network' | 'oversize' | 'unparseable' | 'tls' | 'circuit-open';

export interface XcaErrorOptions {
  readonly httpStatus?: number;
  /** SOAP Fault code, local part only (SOAP 1.2: Sender, Receiver, MustUnderstand, ...; SOAP 1.1: Client, Server). */
  readonly faultCode?: string;
  /** First SOAP 1.2 Subcode, local part only (e.g. InvalidSecurity, ActionNotSupported). */
  readonly faultSubcode?: string;
  readonly cause?: unknown;
}

/** A failure to obtain a usable answer from a responding gateway. */
export class XcaError extends Error {
  readonly kind: XcaErrorKind;
  readonly httpStatus?: number;
  readonly faultCode?: string;
  readonly faultSubcode?: string;

  constructor(kind: XcaErrorKind, message: string, options: XcaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'XcaError';
    this.kind = kind;
    if (options.httpStatus !== undefined) this.httpStatus = options.httpStatus;
    if (options.faultCode !== undefined) this.faultCode = options.faultCode;
    if (options.faultSubcode !== undefined) this.faultSubcode = options.faultSubcode;
  }
}

/**
 * True for DOMException-style aborts (AbortSignal.abort() / AbortSignal.timeout() reasons). Checked by name, not
 * instanceof: DOMException is not an Error subclass in every realm.
 */
function isAbortLike(err: unknown): boolean {
  const name = typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined;
  return name === 'AbortError' || name === 'TimeoutError';
}

/**
 * Normalise anything thrown into an XcaError. Unknown exceptions become 'network' (the only kind that says
 * "the exchange with this community failed" without claiming a cause); the original stays in `cause` for logs.
 */
export function toXcaError(err: unknown): XcaError {
  if (err instanceof XcaError) return err;
  if (isAbortLike(err)) {
    return new XcaError('timeout', 'The request to the responding gateway was cancelled before it answered', { cause: err });
  }
  return new XcaError('network', 'The exchange with the responding gateway failed unexpectedly', { cause: err });
}
