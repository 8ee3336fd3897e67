import { TextDecoder } from 'node:util';

/**
 * Incremental bytes → text decoding for XML arriving in arbitrary chunks (a multi-byte character may be split
 * across two network reads). UTF-8 is the norm for SOAP; UTF-16 is recognised by its byte-order mark (XML 1.0
 * Appendix F) because SOAP receivers are expected to accept it too. Invalid byte sequences are fatal: a parser
 * that silently substitutes U+FFFD could change an identifier.
 */
export class XmlByteDecoder {
  private decoder: TextDecoder | undefined;
  private pending: Buffer | undefined;

  /** Decode the next chunk; may return '' while the first two bytes (BOM sniffing) are still incomplete. */
  decode(chunk: Buffer): string {
    if (this.decoder) return this.decoder.decode(chunk, { stream: true });
    const head = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    if (head.length < 2) {
      this.pending = head;
      return '';
    }
    this.pending = undefined;
    this.decoder = new TextDecoder(sniffEncoding(head), { fatal: true });
    return this.decoder.decode(head, { stream: true });
  }

  /** Flush what is left at end of input (throws on a truncated multi-byte sequence). */
  end(): string {
    if (!this.decoder) {
      const rest = this.pending ?? Buffer.alloc(0);
      this.pending = undefined;
      return new TextDecoder('utf-8', { fatal: true }).decode(rest);
    }
    return this.decoder.decode();
  }
}

/** Encoding from the byte-order mark; UTF-8 (with or without BOM) otherwise. The BOM itself is dropped. */
function sniffEncoding(head: Buffer): string {
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  return 'utf-8';
}

/** Encoding labels an XML declaration may carry that this decoder handles. */
export const SUPPORTED_DECLARED_ENCODINGS: ReadonlySet<string> = new Set(['utf-8', 'utf8', 'utf-16', 'us-ascii', 'ascii']);

/**
 * A copy of `text` that shares no memory with it. Every value the XML readers give out is a substring of the decoded
 * answer, and V8 keeps a substring (and a string built by concatenating one) as a pointer into its parent: whatever
 * keeps such a value beyond the answer keeps the whole answer, up to the response size limit, in memory. Anything
 * held longer than one answer (a cache, a last-failure reason) stores a copy made here.
 */
export function detached(text: string): string {
  // UTF-16 code units copied as they are: exact for any string, a lone surrogate included (a UTF-8 round trip is not).
  return Buffer.from(text, 'utf16le').toString('utf16le');
}
