/**
 * A pull-driven multipart framer (RFC 2046 §5.1): it reads the source only when its caller asks for the next
 * part or the next body chunk, so a slow consumer stops the reading of the socket (back-pressure for free) and
 * memory stays at one source chunk plus a tail of at most one delimiter line.
 *
 * Why our own parser: dicer, busboy and @fastify/busboy (the maintained Node multipart parsers) all search for
 * `\r\n--boundary` and read headers CRLF-only, and busboy only accepts multipart/form-data at the top level.
 * WCF and Epic responders frame MTOM with bare LF (see the public captures) and some mix endings, so none fits.
 * This one searches `LF--boundary` with Buffer.indexOf over a sliding window (delimiter.ts); no JS loop walks
 * the body bytes, and the only copy is appending a new chunk to the held-back tail.
 */
import { detectBoundary, scanDelimiter } from './delimiter';
import { MtomError } from './errors';
import { findHeaderBlockEnd, parsePartHeaders, type MtomPartInfo } from './part-headers';

const EMPTY = Buffer.alloc(0);
const LF_BUFFER = Buffer.from('\n');

type Phase = 'detect' | 'preamble' | 'headers' | 'body' | 'end';

/** Framing of one multipart body over an async source of byte chunks. Not re-entrant: callers serialise. */
export class MultipartScanner {
  private window: Buffer = EMPTY;
  private eof = false;
  private phase: Phase;
  private pattern: Buffer = EMPTY;
  private boundary = '';
  private headerResume = 0;

  constructor(
    private readonly source: AsyncIterator<unknown>,
    boundary: string | undefined,
    private readonly maxHeaderBytes: number,
  ) {
    this.phase = 'detect';
    if (boundary !== undefined && boundary !== '') this.useBoundary(boundary, LF_BUFFER);
  }

  /**
   * Move to the next part: discard what is left of the current part (or the preamble), then read the boundary
   * line and the part's header block. Resolves null once the close delimiter has been read.
   */
  async nextPart(): Promise<MtomPartInfo | null> {
    if (this.phase === 'detect') await this.detect();
    while ((this.phase === 'preamble' || this.phase === 'body') && (await this.readBody()) !== null) {
      // discarded
    }
    if (this.phase === 'end') return null;
    return this.readHeaders();
  }

  /** The next chunk of the current part's (undecoded) body, or null when its closing delimiter has been read. */
  async readBody(): Promise<Buffer | null> {
    for (;;) {
      if (this.phase !== 'body' && this.phase !== 'preamble') return null;
      const scan = scanDelimiter(this.window, this.pattern, this.eof);
      if (scan.kind === 'delimiter') {
        const content = this.window.subarray(0, scan.bodyEnd);
        this.window = this.window.subarray(scan.next);
        this.phase = scan.close ? 'end' : 'headers';
        if (content.length > 0) return content;
        continue;
      }
      if (scan.safe > 0) {
        const content = this.window.subarray(0, scan.safe);
        this.window = this.window.subarray(scan.safe);
        return content;
      }
      if (this.eof) throw this.endedEarly();
      await this.pull();
    }
  }

  /** Read and discard the epilogue (RFC 2046: to be ignored) so the HTTP body is consumed to its end. */
  async finish(): Promise<void> {
    this.window = EMPTY;
    while (!this.eof) {
      await this.pull();
      this.window = EMPTY;
    }
  }

  /** Stop reading: release the source (a Node Readable's iterator destroys the stream on return()). */
  abort(): void {
    this.phase = 'end';
    this.eof = true;
    this.window = EMPTY;
    this.source.return?.().catch(() => undefined);
  }

  private useBoundary(boundary: string, prefix: Buffer): void {
    this.boundary = boundary;
    this.pattern = Buffer.from(`\n--${boundary}`, 'latin1');
    // A virtual LF lets the first `--boundary` (at offset 0, no CRLF before it) match like any other delimiter.
    this.window = Buffer.concat([prefix, this.window]);
    this.phase = 'preamble';
  }

  private async detect(): Promise<void> {
    for (;;) {
      const found = detectBoundary(this.window, this.eof);
      if (found.kind === 'found') {
        this.window = this.window.subarray(found.start);
        this.useBoundary(found.boundary, LF_BUFFER);
        return;
      }
      if (found.kind === 'absent') {
        throw new MtomError('no-boundary', 'The multipart body has no boundary parameter and does not start with a "--boundary" line');
      }
      await this.pull();
    }
  }

  private async readHeaders(): Promise<MtomPartInfo> {
    for (;;) {
      const end = findHeaderBlockEnd(this.window, this.headerResume);
      // Checked before completeness so the outcome does not depend on how the bytes were chunked.
      const size = 'next' in end ? end.next : this.window.length;
      if (size > this.maxHeaderBytes) {
        throw new MtomError('header-too-large', `An MTOM part's header block exceeds ${this.maxHeaderBytes} bytes`);
      }
      if ('next' in end) {
        const info = parsePartHeaders(this.window.subarray(0, end.blockEnd));
        this.window = this.window.subarray(end.next);
        this.headerResume = 0;
        this.phase = 'body';
        return info;
      }
      if (this.eof) throw this.endedEarly();
      this.headerResume = end.resumeAt;
      await this.pull();
    }
  }

  private endedEarly(): MtomError {
    if (this.phase === 'preamble') {
      return new MtomError('no-boundary', `The multipart body holds no "--${this.boundary}" delimiter line`);
    }
    return new MtomError('truncated', `The multipart body ended before its close delimiter "--${this.boundary}--": the response was cut short`);
  }

  private async pull(): Promise<void> {
    let next: IteratorResult<unknown>;
    try {
      next = await this.source.next();
    } catch (err) {
      if (err instanceof MtomError) throw err;
      throw new MtomError('source-error', 'Reading the multipart body from the responding gateway failed', { cause: err });
    }
    if (next.done === true) {
      this.eof = true;
      return;
    }
    const chunk = toBuffer(next.value);
    if (chunk.length === 0) return;
    this.window = this.window.length === 0 ? chunk : Buffer.concat([this.window, chunk]);
  }
}

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === 'string') return Buffer.from(value, 'latin1');
  throw new MtomError('source-error', 'The multipart body source yielded something other than bytes');
}
