import { Readable } from 'node:stream';
import { XcaError } from '../errors';
import { Base64Decoder } from '../mtom/body-decoder';
import { isMtomError } from '../mtom';

/**
 * An inline document (xs:base64Binary text in DocumentResponse/Document: plain SOAP answers, or MTOM answers
 * whose sender did not optimise this element) decoded to bytes. The text is already in memory (it was one XML
 * text node, bounded by maxInlineBytes upstream), so decoding it up front costs no extra risk and lets a
 * broken document be refused before any HTTP header is sent. Decoding is strict: whitespace is allowed
 * (XML Schema base64Binary), anything outside the base64 alphabet is refused, not skipped.
 */

/** Characters decoded per step: keeps each intermediate string small. */
const SLICE_CHARS = 1024 * 1024;
const NON_ASCII = /[^\x00-\x7f]/;

/** Decoded bytes, in the pieces they were decoded in. */
export interface InlineDocument {
  readonly chunks: readonly Buffer[];
  readonly size: number;
}

function notBase64(what: string, cause?: unknown): XcaError {
  return new XcaError('unparseable', `The inline Document of the ${what} is not valid base64`, cause === undefined ? {} : { cause });
}

/**
 * Decode base64 `pieces` (the text events of one Document element); `what` names the answer in error messages.
 * @throws XcaError 'unparseable' for text that is not base64, 'oversize' past `maxBytes` decoded bytes.
 */
export function decodeInlineDocument(pieces: readonly string[], maxBytes: number, what = 'ITI-39 response'): InlineDocument {
  const decoder = new Base64Decoder();
  const chunks: Buffer[] = [];
  let size = 0;
  const keep = (bytes: Buffer): void => {
    if (bytes.length === 0) return;
    size += bytes.length;
    if (size > maxBytes) throw new XcaError('oversize', `The inline document of the ${what} is larger than the limit of ${maxBytes} bytes`);
    chunks.push(bytes);
  };
  try {
    for (const piece of pieces) {
      for (let offset = 0; offset < piece.length; offset += SLICE_CHARS) {
        const slice = piece.slice(offset, offset + SLICE_CHARS);
        // Latin-1 would fold a character above U+00FF onto one that may be in the alphabet: refuse first.
        if (NON_ASCII.test(slice)) throw notBase64(what);
        keep(decoder.push(Buffer.from(slice, 'latin1')));
      }
    }
    keep(decoder.end());
  } catch (err) {
    throw isMtomError(err, 'bad-base64') ? notBase64(what, err) : err;
  }
  return { chunks, size };
}

/** A byte stream over decoded chunks (objectMode off, so consumers see plain bytes). */
export function inlineBody(doc: InlineDocument): Readable {
  return Readable.from(doc.chunks, { objectMode: false });
}
