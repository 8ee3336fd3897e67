import { setImmediate as nextTurn } from 'node:timers/promises';
import { XcaError, toXcaError } from '../errors';
import { XML_LIMITS } from '../soap/constants';
import { XmlByteDecoder } from './decode';

/*
 * The read loop both XML readers share (stream-parser.ts for ITI-38 and SOAP faults, iti39/xml-reader.ts for
 * retrieve answers): pull chunks from an async byte source, stop past maxBytes, decode bytes to text, feed the
 * text in slices and give the event loop a turn every slice's worth, and turn every failure into an XcaError.
 * What differs between the readers (how saxes is set up, which limits apply to text, the words of a
 * well-formedness error) stays in the XmlTextTarget each one passes in.
 */

/** A parser that takes decoded text: saxes wired to a sink, with the checks its reader adds. */
export interface XmlTextTarget {
  /** The next piece of the document (never empty; a leading byte-order mark already dropped). May throw. */
  write(text: string): void;
  /** End of input: close the parser; throws on a truncated document. */
  close(): void;
}

/** Bounds of one read. */
export interface XmlDriveOptions {
  /** Stop reading and fail with 'oversize' past this many bytes. */
  readonly maxBytes: number;
  /** What is being read, for error messages ("ITI-38 response"). */
  readonly what: string;
  /**
   * How a string chunk counts against maxBytes: its UTF-8 bytes (the default), or its characters (the ITI-39
   * reader, whose MTOM root part arrives as text already bounded in bytes by the MTOM reader).
   */
  readonly countStringsAs?: 'utf8-bytes' | 'characters';
}

/**
 * Read `source` into `target`. Throws XcaError: 'oversize' past maxBytes; 'unparseable' for text that is not
 * UTF-8 (or UTF-16) and for anything else the target throws that is not an XcaError; the target's own XcaErrors
 * as they are. An error of the source is normalised with toXcaError; on any other failure the source is stopped
 * (its iterator returned), so no more bytes are read.
 */
export async function driveXmlStream(source: AsyncIterable<Buffer | string>, target: XmlTextTarget, options: XmlDriveOptions): Promise<void> {
  const driver = new Driver(target, options);
  const iterator = source[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Buffer | string>;
    try {
      next = await iterator.next();
    } catch (err) {
      throw toXcaError(err);
    }
    if (next.done === true) break;
    try {
      await driver.feed(next.value);
    } catch (err) {
      await iterator.return?.().catch(() => undefined); // stop the source: no more bytes are read
      throw driver.wrap(err);
    }
  }
  try {
    driver.finish();
  } catch (err) {
    throw driver.wrap(err);
  }
}

class Driver {
  private readonly decoder = new XmlByteDecoder();
  private total = 0;
  private sinceYield = 0;
  private first = true;

  constructor(private readonly target: XmlTextTarget, private readonly options: XmlDriveOptions) {}

  /** Feed one source chunk in slices, yielding to the event loop between slices. */
  async feed(chunk: Buffer | string): Promise<void> {
    const bytes = typeof chunk === 'string' && this.options.countStringsAs !== 'characters' ? Buffer.byteLength(chunk, 'utf8') : chunk.length;
    this.total += bytes;
    if (this.total > this.options.maxBytes) {
      throw new XcaError('oversize', `The ${this.options.what} is larger than the limit of ${this.options.maxBytes} bytes`);
    }
    const step = XML_LIMITS.sliceBytes;
    for (let offset = 0; offset < chunk.length; offset += step) {
      const end = Math.min(offset + step, chunk.length);
      this.write(typeof chunk === 'string' ? chunk.slice(offset, end) : this.decoder.decode(chunk.subarray(offset, end)));
      this.sinceYield += end - offset;
      if (this.sinceYield >= step) {
        this.sinceYield = 0;
        await nextTurn();
      }
    }
  }

  finish(): void {
    this.write(this.decoder.end());
    this.target.close();
  }

  wrap(err: unknown): XcaError {
    if (err instanceof XcaError) return err;
    const code = (err as { code?: unknown } | null)?.code;
    const what = code === 'ERR_ENCODING_INVALID_ENCODED_DATA' ? 'is not valid UTF-8 (or UTF-16) text' : 'could not be read';
    return new XcaError('unparseable', `The ${this.options.what} ${what}`, { cause: err });
  }

  private write(text: string): void {
    if (text.length === 0) return;
    if (this.first) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM handed over inside a string chunk
      if (text.length === 0) return;
    }
    this.target.write(text);
  }
}
