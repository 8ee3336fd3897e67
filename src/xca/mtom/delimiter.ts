/**
 * Delimiter recognition (RFC 2046 §5.1.1), as pure functions over a window of bytes.
 *
 *   delimiter       := CRLF "--" boundary          close-delimiter := delimiter "--"
 *   boundary line   := delimiter transport-padding CRLF        transport-padding := *LWSP-char
 *
 * We search for `LF "--" boundary` with Buffer.indexOf (native memmem), so CRLF and bare-LF framing, even
 * mixed from one delimiter to the next, are one search; a CR just before the LF belongs to the delimiter
 * (RFC 2046: "the CRLF preceding the boundary delimiter line is conceptually attached to the boundary").
 * A match is a delimiter only when followed by `--` (close) or by padding then CRLF/LF; anything else
 * (`--boundaryX`, `--boundary x`) is content, so binary bytes that merely resemble the boundary pass through.
 */

const LF = 0x0a;
const CR = 0x0d;
const DASH = 0x2d;
const SP = 0x20;
const HT = 0x09;

/** Transport padding longer than this is not padding but content that happens to follow a boundary-like run. */
const MAX_PADDING = 256;
/** A body that has not shown its first `--boundary` line within this many bytes has no usable one. */
const MAX_DETECT_BYTES = 4096;

export type DelimiterScan =
  /** No delimiter: bytes before `safe` are content; the rest may still start one. */
  | { readonly kind: 'none'; readonly safe: number }
  /** A candidate needs more bytes to decide: bytes before `safe` are content. */
  | { readonly kind: 'undecided'; readonly safe: number }
  /** Content ends at `bodyEnd`; the next part's headers (or the epilogue, when `close`) start at `next`. */
  | { readonly kind: 'delimiter'; readonly bodyEnd: number; readonly next: number; readonly close: boolean };

type After = { readonly next: number; readonly close: boolean } | 'no' | 'more';

/** Classify what follows `LF--boundary` at `at`. With `eof`, a candidate that cannot complete is content. */
function classifyAfter(window: Buffer, at: number, eof: boolean): After {
  const length = window.length;
  if (at < length && window[at] === DASH) {
    if (at + 1 < length) {
      if (window[at + 1] === DASH) return { next: at + 2, close: true };
      return 'no';
    }
    return eof ? 'no' : 'more';
  }
  let k = at;
  while (k < length && (window[k] === SP || window[k] === HT)) {
    k += 1;
    if (k - at > MAX_PADDING) return 'no';
  }
  if (k >= length) return eof ? 'no' : 'more';
  if (window[k] === LF) return { next: k + 1, close: false };
  if (window[k] !== CR) return 'no';
  if (k + 1 >= length) return eof ? 'no' : 'more';
  return window[k + 1] === LF ? { next: k + 2, close: false } : 'no';
}

/**
 * How many bytes at the end of `window` could begin a delimiter once more bytes arrive: a suffix that is a
 * proper prefix of `pattern` (it starts with LF), plus the CR before it. Usually 0, so the next source chunk
 * becomes the window as it is, without being copied onto a held-back tail.
 */
function heldBack(window: Buffer, pattern: Buffer): number {
  const length = window.length;
  for (let lf = window.indexOf(LF, Math.max(0, length - pattern.length + 1)); lf >= 0; lf = window.indexOf(LF, lf + 1)) {
    if (window.compare(pattern, 0, length - lf, lf, length) === 0) return length - lf + (lf > 0 && window[lf - 1] === CR ? 1 : 0);
  }
  return length > 0 && window[length - 1] === CR ? 1 : 0;
}

/**
 * Find the first delimiter in `window` (`pattern` = LF "--" boundary). When there is none, everything is safe
 * content but a tail that may start one (see heldBack), or all of it at eof.
 */
export function scanDelimiter(window: Buffer, pattern: Buffer, eof: boolean): DelimiterScan {
  let from = 0;
  for (;;) {
    const at = window.indexOf(pattern, from);
    if (at < 0) return { kind: 'none', safe: eof ? window.length : window.length - heldBack(window, pattern) };
    const bodyEnd = at > 0 && window[at - 1] === CR ? at - 1 : at;
    const after = classifyAfter(window, at + pattern.length, eof);
    if (after === 'more') return { kind: 'undecided', safe: bodyEnd };
    if (after !== 'no') return { kind: 'delimiter', bodyEnd, next: after.next, close: after.close };
    from = at + 1;
  }
}

/** Outcome of looking for the boundary at the start of a body that came without a boundary parameter. */
export type BoundaryDetection =
  | { readonly kind: 'found'; readonly boundary: string; readonly start: number }
  | { readonly kind: 'more' }
  | { readonly kind: 'absent' };

/**
 * Take the boundary from the body's first line (MTOM bodies logged or relayed without their HTTP headers,
 * e.g. the WCF captures): skip leading blank lines, expect `--`, the rest of the line minus padding is the
 * boundary. `start` is where that `--` stands.
 */
export function detectBoundary(window: Buffer, eof: boolean): BoundaryDetection {
  let i = 0;
  while (i < window.length && (window[i] === CR || window[i] === LF || window[i] === SP || window[i] === HT)) i += 1;
  if (i + 2 <= window.length && (window[i] !== DASH || window[i + 1] !== DASH)) return { kind: 'absent' };
  const lf = i + 2 <= window.length ? window.indexOf(LF, i + 2) : -1;
  if (lf < 0) return eof || window.length > MAX_DETECT_BYTES ? { kind: 'absent' } : { kind: 'more' };
  const boundary = window.toString('latin1', i + 2, lf).replace(/[\r \t]+$/, '');
  return boundary === '' ? { kind: 'absent' } : { kind: 'found', boundary, start: i };
}
