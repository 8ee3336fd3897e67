/**
 * The body source as a pull iterator of chunks. A Node Readable (an undici body, an http.IncomingMessage) is read
 * in flowing mode one 'data' event per pull and paused in between: its async iterator calls read(), which joins
 * every buffered chunk into a new Buffer, i.e. copies each byte once more whenever the socket is ahead of us.
 * Anything else is read through its own async iterator.
 */
import { finished, Readable } from 'node:stream';

/** Pull chunks from `body`; return() releases it (destroys a Readable). */
export function chunkSource(body: AsyncIterable<unknown>): AsyncIterator<unknown> {
  return body instanceof Readable ? new ReadableSource(body) : body[Symbol.asyncIterator]();
}

class ReadableSource implements AsyncIterator<unknown> {
  private readonly queue: unknown[] = [];
  private ended = false;
  private failure: unknown;
  private wake: (() => void) | undefined;

  constructor(private readonly stream: Readable) {
    // Paused before the 'data' listener is added, so adding it does not start the flow.
    stream.pause();
    stream.on('data', (chunk: unknown) => {
      this.queue.push(chunk);
      stream.pause();
      this.notify();
    });
    // finished() reports an error, a premature close (destroyed before 'end') as an error, or the clean end.
    finished(stream, { writable: false }, (err) => {
      if (err) this.failure = err;
      else this.ended = true;
      this.notify();
    });
  }

  async next(): Promise<IteratorResult<unknown>> {
    for (;;) {
      if (this.queue.length > 0) return { done: false, value: this.queue.shift() };
      if (this.ended) return { done: true, value: undefined };
      if (this.failure !== undefined) throw this.failure;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.stream.resume();
      });
    }
  }

  async return(): Promise<IteratorResult<unknown>> {
    this.ended = true;
    this.stream.destroy();
    return { done: true, value: undefined };
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
