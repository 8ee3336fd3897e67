import { Readable } from 'node:stream';
import { XcaError } from '../errors';
import type { MtomMessage } from '../mtom';
import { toMtomXcaError } from '../mtom-errors';

/**
 * The document of an MTOM answer as the Readable handed to the caller. Two guarantees:
 * - it never ends cleanly on a broken upstream: a truncated part, a reset socket, a stall all arrive as an
 *   'error' carrying an XcaError, so the HTTP layer aborts its own response instead of sending a short file;
 * - a stalled upstream is bounded: each wait for the next bytes (and only that wait: time the consumer takes
 *   is back-pressure, not a stall) is limited to `idleMs`; past it the stream errors with 'timeout' and the
 *   connection is dropped. The community's deadline no longer applies once the document has started: a large
 *   document over a slow link may take longer than any sensible time-to-first-byte.
 */

/** Bounds of the streaming phase. */
export interface StreamBounds {
  /** Longest wait for the next chunk from upstream. */
  readonly idleMs: number;
  /** After the document, how long the rest of the package may take before the connection is dropped. */
  readonly drainMs: number;
}

/** `iterator.next()`, failing with 'timeout' when nothing arrives within `idleMs`. */
async function nextWithin(iterator: AsyncIterator<Buffer>, idleMs: number): Promise<IteratorResult<Buffer>> {
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new XcaError('timeout', `The responding gateway sent no document bytes for ${idleMs} ms`)), idleMs);
  });
  try {
    return await Promise.race([iterator.next(), idle]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Read the rest of the package (trailing parts are dropped, not held) so the connection can be reused; a
 * package that does not finish within `drainMs` is abandoned, which drops the connection.
 */
export function drainQuietly(message: MtomMessage, drainMs: number): void {
  const timer = setTimeout(() => message.abort(), drainMs);
  timer.unref();
  message.drain().then(
    () => clearTimeout(timer),
    () => clearTimeout(timer),
  );
}

/** How one attachment body ends its part of the message. */
export interface AttachmentBodyOptions {
  /** Longest wait for each chunk after the first (and for the first too, with `boundFirstChunk`). */
  readonly idleMs: number;
  /**
   * Bound the wait for the first chunk by `idleMs` as well. ITI-39 leaves it to the community deadline, which is
   * still running then; a later attachment of a multi-document answer (RAD-75) has no other bound.
   */
  readonly boundFirstChunk?: boolean;
  /**
   * Called once: `true` after the last byte was handed over, `false` when the body was destroyed before its end
   * (by the consumer, or by an upstream error). The attachment's own bytes are dropped before a `false` call.
   */
  readonly onSettle: (clean: boolean) => void;
}

/**
 * Open the attachment `href` as a Readable, reading its first chunk before resolving so that an unknown
 * Content-ID or a package cut short before the attachment is an error of this call, not of the stream.
 * @throws XcaError (the MtomError mapped); the message is abandoned.
 */
export async function streamAttachment(message: MtomMessage, href: string, options: AttachmentBodyOptions): Promise<Readable> {
  const source = message.attachment(href);
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let first: IteratorResult<Buffer>;
  try {
    first = await (options.boundFirstChunk === true ? nextWithin(iterator, options.idleMs) : iterator.next());
  } catch (err) {
    source.destroy();
    message.abort();
    throw toMtomXcaError(err);
  }
  let pending: Buffer | undefined = first.done === true ? undefined : first.value;
  let upstreamDone = first.done === true;
  let settled = false;
  const settle = (clean: boolean): void => {
    if (settled) return;
    settled = true;
    if (!clean) source.destroy();
    options.onSettle(clean);
  };
  const stream = new Readable({
    read(): void {
      if (pending !== undefined) {
        const chunk = pending;
        pending = undefined;
        stream.push(chunk);
        return;
      }
      if (upstreamDone) {
        settle(true);
        stream.push(null);
        return;
      }
      nextWithin(iterator, options.idleMs).then(
        (next) => {
          if (next.done === true) {
            upstreamDone = true;
            settle(true);
            stream.push(null);
          } else {
            stream.push(next.value);
          }
        },
        (err: unknown) => stream.destroy(toMtomXcaError(err)),
      );
    },
    destroy(err, callback): void {
      // Destroyed before the end (consumer gone, or an error above): the owner releases the upstream connection.
      settle(false);
      callback(err);
    },
  });
  return stream;
}

/**
 * The one document of an ITI-39 answer: the attachment `href` (see streamAttachment); once it has been read,
 * the rest of the package is drained so the connection can be reused, and a body destroyed early abandons the
 * whole message, which drops the connection.
 * @throws XcaError (the MtomError mapped); the message is abandoned.
 */
export async function openAttachmentBody(message: MtomMessage, href: string, bounds: StreamBounds): Promise<Readable> {
  return streamAttachment(message, href, {
    idleMs: bounds.idleMs,
    onSettle: (clean) => (clean ? drainQuietly(message, bounds.drainMs) : message.abort()),
  });
}
