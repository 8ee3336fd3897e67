import { finished, type Readable } from 'node:stream';
import { XcaError } from '../errors';
import { drainQuietly, streamAttachment, type StreamBounds } from '../iti39/document-stream';
import { decodeInlineDocument, inlineBody } from '../iti39/inline-document';
import type { MtomMessage } from '../mtom';
import { toMtomXcaError } from '../mtom-errors';
import { RAD75_WHAT } from './constants';
import type { PlannedInstance, PlanStep } from './plan';
import type { RetrievedInstance } from './types';

/**
 * The instances of a RAD-75 answer, one after the other, straight from the socket. readMtom streams a part only
 * while it is the one being read; a part passed over is held in memory (bounded). So each instance is opened
 * only once the previous one has been read to its end, in the order of the DocumentResponses, which is the
 * order responders write the attachments in; only a package that orders them otherwise (or puts the root
 * last) makes readMtom hold parts, within its buffering bound.
 *
 * A body destroyed before its end (consumer gone, upstream cut off, stalled past the idle bound) abandons the
 * whole message at once, so the connection is released; the next `next()` then rejects with the body's error,
 * never ending the sequence cleanly, so a short set is never mistaken for a whole one.
 */

/** Bounds of the streaming phase. */
export interface SequenceBounds extends StreamBounds {
  /** Largest inline (base64) instance, decoded bytes. */
  readonly maxInlineBytes: number;
}

const DONE: IteratorResult<RetrievedInstance> = { done: true, value: undefined };

/** Resolves when `body` has ended; rejects when it was destroyed first (its error, or a premature close). */
function ended(body: Readable): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    finished(body, { writable: false }, (err) => (err ? reject(err) : resolve()));
  });
}

function abandoned(cause: unknown): XcaError {
  if (cause instanceof XcaError) return cause;
  return new XcaError('timeout', 'The imaging retrieval was abandoned: an instance was not read to its end', { cause });
}

/** The AsyncIterator behind ImagingRetrieval.instances. */
export class InstanceSequence implements AsyncIterableIterator<RetrievedInstance> {
  private position = 0;
  private current: Readable | undefined;
  private failure: XcaError | undefined;
  private over = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly steps: readonly PlanStep[],
    private readonly message: MtomMessage | undefined,
    private readonly bounds: SequenceBounds,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The next instance, once the previous body has ended. Calls are served one at a time. */
  next(): Promise<IteratorResult<RetrievedInstance>> {
    const result = this.queue.then(() => this.advance());
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Leaving the loop early: stop reading and release the connection. */
  async return(): Promise<IteratorResult<RetrievedInstance>> {
    if (!this.over) {
      this.over = true;
      this.message?.abort();
    }
    return DONE;
  }

  /** Stop now: an open body errors, and so does every later `next()`. */
  abort(): void {
    const failure = this.fail(new XcaError('timeout', 'The imaging retrieval was cancelled by its caller'));
    if (this.current !== undefined && !this.current.destroyed) this.current.destroy(failure);
  }

  private async advance(): Promise<IteratorResult<RetrievedInstance>> {
    if (this.failure !== undefined) throw this.failure;
    if (this.over) return DONE;
    try {
      if (this.current !== undefined) await ended(this.current).catch((err: unknown) => Promise.reject(abandoned(err)));
      this.current = undefined;
      for (let step = this.steps[this.position]; step !== undefined; step = this.steps[this.position]) {
        this.position += 1;
        if (step.kind === 'skip') {
          await this.skip(step.href);
        } else {
          return { done: false, value: await this.open(step.instance) };
        }
      }
    } catch (err) {
      throw this.fail(err);
    }
    this.over = true;
    // Read the close delimiter and epilogue so the connection can be reused; the last body already saw them.
    if (this.message !== undefined) drainQuietly(this.message, this.bounds.drainMs);
    return DONE;
  }

  private async open(instance: PlannedInstance): Promise<RetrievedInstance> {
    const { content } = instance;
    let body: Readable;
    let size: number | undefined;
    if (content.kind === 'xop') {
      body = await this.attachment(content.href);
    } else {
      const decoded = decodeInlineDocument(content.base64, this.bounds.maxInlineBytes, RAD75_WHAT);
      body = inlineBody(decoded);
      size = decoded.size;
    }
    this.current = body;
    const { documentUniqueId, repositoryUniqueId, seriesInstanceUid, mimeType } = instance;
    return { documentUniqueId, repositoryUniqueId, seriesInstanceUid, mimeType, ...(size === undefined ? {} : { size }), body };
  }

  /** Read past an attachment nobody asked for, without holding its bytes. */
  private async skip(href: string): Promise<void> {
    const body = await this.attachment(href);
    body.resume();
    await ended(body);
  }

  private attachment(href: string): Promise<Readable> {
    const message = this.message;
    if (message === undefined) return Promise.reject(new XcaError('unparseable', `The ${RAD75_WHAT} refers to an MTOM attachment but is not an MTOM package`));
    return streamAttachment(message, href, {
      idleMs: this.bounds.idleMs,
      boundFirstChunk: true,
      onSettle: (clean) => {
        if (!clean) message.abort();
      },
    });
  }

  /** Record the first failure, end the sequence and release the connection; returns the error to throw. */
  private fail(err: unknown): XcaError {
    this.failure ??= err instanceof XcaError ? err : toMtomXcaError(err);
    this.over = true;
    this.message?.abort();
    return this.failure;
  }
}
