/**
 * The state of one MTOM message being read: which parts have been seen, which are being streamed, which had to
 * be held in memory. Every operation on the source runs through one queue, so two attachment streams read at
 * the same time never interleave their pulls.
 *
 * Memory rule: a part is streamed straight from the socket when it is read in document order. A part the reader
 * has to pass over (it stands before the SOAP root, or the caller asked for a later part first) is held in
 * memory, and all such parts together are bounded by `maxBufferedAttachmentBytes`. Why not spool to disk: the
 * facade must read the root first to learn which attachment is which document and its mimeType before it can
 * send the FHIR client any HTTP header, and the service must never write clinical data to disk. Past the bound
 * the read fails with 'attachment-buffer-exceeded' rather than growing without limit.
 */
import { createBodyDecoder, type BodyDecoder } from './body-decoder';
import { MtomError } from './errors';
import type { MtomPartInfo } from './part-headers';
import type { MultipartScanner } from './scanner';

/** One part of the message and what is known of its bytes. */
export interface PartRecord {
  readonly info: MtomPartInfo;
  readonly decoder: BodyDecoder;
  /** Decoded bytes read from the source but not yet handed to a reader. */
  readonly chunks: Buffer[];
  /** The part's closing delimiter has been read. */
  complete: boolean;
  /** attachment() has opened it (or it is the root). */
  claimed: boolean;
  /** Its bytes were thrown away (drain(), or its stream was destroyed); it cannot be read any more. */
  discarded: boolean;
}

/** Serialises async operations: each starts when the previous one has settled. */
class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** Errors about one request (a Content-ID), not about the message: they do not end the session. */
function isRequestError(err: unknown): boolean {
  return err instanceof MtomError && (err.reason === 'unknown-cid' || err.reason === 'attachment-consumed');
}

/** Reads parts from a scanner on demand and keeps the bookkeeping behind MtomMessage. */
export class MtomSession {
  /** Settles once the close delimiter and the epilogue have been read, or on the first fatal error. */
  readonly done: Promise<void>;
  readonly parts: PartRecord[] = [];
  /** The part whose body the scanner is positioned in. */
  current: PartRecord | undefined;
  ended = false;
  discardUnclaimed = false;
  failure: Error | undefined;
  private bufferedBytes = 0;
  private readonly queue = new SerialQueue();
  private settle: { resolve: () => void; reject: (err: Error) => void } | undefined;

  constructor(
    private readonly scanner: MultipartScanner,
    private readonly maxBufferedBytes: number,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // Nobody has to listen to `done`; an unobserved failure must not become an unhandled rejection.
    this.done.catch(() => undefined);
  }

  /** Run `task` after every earlier one; a fatal error ends the session (source released, `done` rejected). */
  run<T>(task: () => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      try {
        return await task();
      } catch (err) {
        throw isRequestError(err) ? err : this.fail(err);
      }
    });
  }

  /** First part with this canonical Content-ID (later duplicates cannot be addressed by an xop:Include). */
  find(contentId: string): PartRecord | undefined {
    return this.parts.find((part) => part.info.contentId === contentId);
  }

  /** Pass over the rest of the current part, then read the next part's headers. False at the close delimiter. */
  async advance(): Promise<boolean> {
    this.checkHealthy();
    if (this.ended) return false;
    if (this.current !== undefined && !this.current.complete) await this.passOver(this.current);
    const info = await this.scanner.nextPart();
    if (info === null) {
      this.ended = true;
      this.current = undefined;
      this.scanner.finish().then(
        () => this.settle?.resolve(),
        (err: unknown) => this.fail(err),
      );
      return false;
    }
    const record: PartRecord = { info, decoder: createBodyDecoder(info.transferEncoding), chunks: [], complete: false, claimed: false, discarded: false };
    this.parts.push(record);
    this.current = record;
    return true;
  }

  /** The next decoded chunk of `record`, or null at its end. Held bytes first, then the source if it is current. */
  async readChunk(record: PartRecord): Promise<Buffer | null> {
    for (;;) {
      if (record.discarded) throw new MtomError('attachment-consumed', 'The MTOM part was discarded and can no longer be read');
      const held = record.chunks.shift();
      if (held !== undefined) {
        this.bufferedBytes -= held.length;
        return held;
      }
      if (record.complete) return null;
      if (record !== this.current) throw new MtomError('attachment-consumed', 'The MTOM part is no longer available');
      this.checkHealthy();
      const chunk = await this.pullCurrent(record);
      if (chunk !== null && chunk.length > 0) return chunk;
    }
  }

  /** Hold `bytes` of a passed-over part in memory, within the bound. */
  hold(record: PartRecord, bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.bufferedBytes += bytes.length;
    if (this.bufferedBytes > this.maxBufferedBytes) {
      throw new MtomError(
        'attachment-buffer-exceeded',
        `MTOM attachments that arrive before the SOAP root, or out of order, are held in memory up to ${this.maxBufferedBytes} bytes; this response needs more`,
      );
    }
    record.chunks.push(bytes);
  }

  /** Throw away a part's held bytes and any it has still to receive. */
  discard(record: PartRecord): void {
    record.discarded = true;
    for (const chunk of record.chunks.splice(0)) this.bufferedBytes -= chunk.length;
  }

  /** Remember the first fatal error, release the source, and return the error to throw. */
  fail(err: unknown): Error {
    if (this.failure === undefined) {
      this.failure = err instanceof Error ? err : new MtomError('source-error', 'Reading the MTOM message failed', { cause: err });
      this.scanner.abort();
      this.settle?.reject(this.failure);
    }
    return this.failure;
  }

  private checkHealthy(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  /** Read the remainder of the current part into memory (bounded), or drop it when nobody will read it. */
  private async passOver(record: PartRecord): Promise<void> {
    // Bytes nobody will read are neither decoded nor held (a part we drop may even be badly encoded).
    if (this.discardUnclaimed && !record.claimed) this.discard(record);
    for (;;) {
      const chunk = await this.pullCurrent(record);
      if (chunk === null) return;
      if (!record.discarded) this.hold(record, chunk);
    }
  }

  /** One decoded chunk of the current part from the source; null once its end has been read. */
  private async pullCurrent(record: PartRecord): Promise<Buffer | null> {
    if (record.complete) return null;
    const raw = await this.scanner.readBody();
    if (raw !== null) return record.discarded ? raw : record.decoder.push(raw);
    record.complete = true;
    if (record.discarded) return null;
    const tail = record.decoder.end();
    return tail.length > 0 ? tail : null;
  }
}
