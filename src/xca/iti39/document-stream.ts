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

/**
 * Open the attachment `href` and read its first chunk before resolving, so an unknown Content-ID or a package
 * cut short before the document is an error the caller sees while it can still answer with an error status.
 * @throws XcaError (the MtomError mapped); the message is abandoned.
 */
export async function openAttachmentBody(message: MtomMessage, href: string, bounds: StreamBounds): Promise<Readable> {
  const source = message.attachment(href);
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let first: IteratorResult<Buffer>;
  try {
    first = await iterator.next();
  } catch (err) {
    message.abort();
    throw toMtomXcaError(err);
  }
  let pending: Buffer | undefined = first.done === true ? undefined : first.value;
  let upstreamDone = first.done === true;
  let settled = false;
  const settle = (clean: boolean): void => {
    if (settled) return;
    settled = true;
    if (clean) {
      drainQuietly(message, bounds.drainMs);
    } else {
      source.destroy();
      message.abort();
    }
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
      nextWithin(iterator, bounds.idleMs).then(
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
      // Destroyed before the end (consumer gone, or an error above): release the upstream connection now.
      settle(false);
      callback(err);
    },
  });
  return stream;
}
