/**
 * Body-part header blocks (RFC 2046 §5.1.1 body-part := MIME-part-headers [CRLF *OCTET]; header syntax RFC 822
 * §3.1). Read leniently: CRLF or bare LF, names in any case, folded continuation lines, trailing spaces (Axis2
 * pads every header line), a whitespace-only line ends the block. Header blocks are small and bounded, so the
 * byte loops here never run over document content.
 */
import { normaliseContentId } from './content-id';
import { parseMediaType } from './media-type';

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HT = 0x09;

/** What the reader knows about one MIME part, from its headers. */
export interface MtomPartInfo {
  /** Content-ID, canonical (no brackets; see normaliseContentId); undefined when the part has none. */
  readonly contentId: string | undefined;
  /** Content-Type as sent (trimmed), e.g. `application/xop+xml; charset=UTF-8; type="application/soap+xml"`. */
  readonly contentType: string | undefined;
  /** The media type alone, lower-cased: `text/xml` for `text/xml;`. '' when there is no Content-Type. */
  readonly mediaType: string;
  /** Content-Transfer-Encoding, lower-cased; '' when absent (means 7bit, RFC 2045 §6.1). */
  readonly transferEncoding: string;
  /** Every header, names lower-cased; the first occurrence of a repeated name wins. */
  readonly headers: Readonly<Record<string, string>>;
}

/** Where the header block ends: `blockEnd` is the start of the blank line, `next` the first body byte. */
export interface HeaderBlockEnd {
  readonly blockEnd: number;
  readonly next: number;
}

function isBlank(window: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i += 1) {
    const b = window[i];
    if (b !== CR && b !== SP && b !== HT) return false;
  }
  return true;
}

/**
 * Find the blank line that ends a header block in `window`, scanning lines from `from` (a line start already
 * known not to be blank). Returns the end, or the start of the first incomplete line to resume from later.
 */
export function findHeaderBlockEnd(window: Buffer, from: number): HeaderBlockEnd | { readonly resumeAt: number } {
  let pos = from;
  for (;;) {
    const lf = window.indexOf(LF, pos);
    if (lf < 0) return { resumeAt: pos };
    if (isBlank(window, pos, lf)) return { blockEnd: pos, next: lf + 1 };
    pos = lf + 1;
  }
}

/** Unfold (RFC 822 §3.1.1) and split the header block into name/value pairs. Lines without a colon are skipped. */
function headerFields(block: string): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  for (const line of block.split('\n')) {
    const text = line.replace(/[\r \t]+$/, '');
    if (text === '') continue;
    const last = fields[fields.length - 1];
    if ((text.startsWith(' ') || text.startsWith('\t')) && last !== undefined) {
      last[1] = `${last[1]} ${text.trim()}`;
      continue;
    }
    const colon = text.indexOf(':');
    if (colon <= 0) continue;
    fields.push([text.slice(0, colon).trim().toLowerCase(), text.slice(colon + 1).trim()]);
  }
  return fields;
}

/** Read a header block (the bytes before the blank line) into MtomPartInfo. */
export function parsePartHeaders(block: Buffer): MtomPartInfo {
  const headers: Record<string, string> = {};
  // latin1: header bytes are ASCII (RFC 2045); latin1 keeps any stray 8-bit byte rather than failing on it.
  for (const [name, value] of headerFields(block.toString('latin1'))) {
    if (!(name in headers)) headers[name] = value;
  }
  const rawId = headers['content-id'];
  const contentType = headers['content-type'];
  return {
    contentId: rawId === undefined || rawId === '' ? undefined : normaliseContentId(rawId),
    contentType,
    mediaType: parseMediaType(contentType).type,
    transferEncoding: (headers['content-transfer-encoding'] ?? '').toLowerCase(),
    headers,
  };
}
