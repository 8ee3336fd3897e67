/**
 * The one error type of the MTOM/XOP reader. Every failure to read a multipart/related (RFC 2387) body, from a
 * missing boundary to a truncated attachment, is an MtomError with a `reason` the XCA layer maps onto its own
 * error kinds (src/xca/errors.ts). Messages are written for an OperationOutcome's diagnostics: they name the
 * multipart construct that is wrong, never the document's content.
 */

export type MtomErrorReason =
  /** The Content-Type is present but is not multipart/*. Callers should test `isMultipart` first. */
  | 'not-multipart'
  /** No boundary parameter and the body does not open with a `--boundary` line, or no delimiter is found. */
  | 'no-boundary'
  /** The body ended before the close delimiter `--boundary--` (RFC 2046 §5.1.1). */
  | 'truncated'
  /** A part's header block is larger than `maxHeaderBytes`. */
  | 'header-too-large'
  /** The SOAP root part is larger than `maxRootBytes`. */
  | 'root-too-large'
  /** No part matches the `start` parameter (RFC 2387 §3.2), or the message holds no part at all. */
  | 'no-root'
  /** Attachments that had to be held in memory (before the root, or skipped over) exceed `maxBufferedAttachmentBytes`. */
  | 'attachment-buffer-exceeded'
  /** A part declared Content-Transfer-Encoding: base64 holds characters or padding that are not base64. */
  | 'bad-base64'
  /** A part uses a Content-Transfer-Encoding this reader does not decode (e.g. quoted-printable). */
  | 'unsupported-encoding'
  /** No part carries the Content-ID an xop:Include (or the caller) asked for. */
  | 'unknown-cid'
  /** The part was already opened, is the SOAP root, or was discarded by `drain()`. */
  | 'attachment-consumed'
  /** The body source itself failed (socket reset, timeout...); the original error is in `cause`. */
  | 'source-error'
  /** The caller aborted the message. */
  | 'aborted';

/** A failure to read an MTOM/XOP multipart body. */
export class MtomError extends Error {
  readonly reason: MtomErrorReason;

  constructor(reason: MtomErrorReason, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MtomError';
    this.reason = reason;
  }
}

/** True when `err` is an MtomError (optionally of one reason). */
export function isMtomError(err: unknown, reason?: MtomErrorReason): err is MtomError {
  return err instanceof MtomError && (reason === undefined || err.reason === reason);
}
