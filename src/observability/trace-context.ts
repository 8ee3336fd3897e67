import { freshRandomBytes } from '../security/random-pool';
import { parseTracestate } from './tracestate';

/**
 * W3C Trace Context (Recommendation, Level 1: https://www.w3.org/TR/trace-context/), `traceparent`:
 *   version "-" trace-id "-" parent-id "-" trace-flags      e.g. 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01
 * Lowercase hex only (3.2.2); an all-zero trace-id or parent-id is invalid (3.2.2.3, 3.2.2.4); version ff is
 * invalid and version 00 is exactly 55 characters (3.2.2.1, 3.2.4). A higher version is read as far as the
 * 00 fields go (3.2.4: forward compatibility). An invalid header means "start a new trace" (3.2.2.x),
 * and its tracestate is dropped with it (3.3.1.1: a tracestate is only read with a valid traceparent).
 */

/** The trace a piece of work belongs to. For a parsed header, spanId is the caller's span (its "parent-id"). */
export interface TraceContext {
  /** 32 lowercase hex, not all zero. */
  readonly traceId: string;
  /** 16 lowercase hex, not all zero: the span this context describes. */
  readonly spanId: string;
  /** The span that this one is a child of, when known. */
  readonly parentSpanId?: string;
  /** trace-flags, 0-255; bit 0 is "sampled" (3.2.2.5.1). */
  readonly flags: number;
  /** The validated, normalised tracestate to propagate unchanged (3.3), when one came in. */
  readonly traceState?: string;
}

/** trace-flags bit 0 (3.2.2.5.1). */
export const SAMPLED_FLAG = 0x01;

const V00 = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const FUTURE = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/s;
const allZero = (hex: string): boolean => /^0+$/.test(hex);

/** Parse a traceparent header value; undefined when absent or invalid. */
export function parseTraceparent(value: string | undefined): TraceContext | undefined {
  if (value === undefined) return undefined;
  const header = value.trim();
  let traceId: string, spanId: string, flags: string;
  const v00 = V00.exec(header);
  if (v00) {
    [, traceId = '', spanId = '', flags = ''] = v00;
  } else {
    const future = FUTURE.exec(header);
    if (!future || future[1] === '00' || future[1] === 'ff') return undefined;
    [, , traceId = '', spanId = '', flags = ''] = future;
  }
  if (allZero(traceId) || allZero(spanId)) return undefined;
  return { traceId, spanId, flags: Number.parseInt(flags, 16) };
}

/** Header values as node:http gives them (a repeated header may arrive as an array). */
export interface TraceHeaders {
  readonly traceparent?: string | readonly string[] | undefined;
  readonly tracestate?: string | readonly string[] | undefined;
}

/**
 * Read both headers. Several traceparent values are invalid (there is exactly one parent); several
 * tracestate headers are one list, joined with commas (3.3.1.1, RFC 9110 5.3).
 */
export function readTraceContext(headers: TraceHeaders): TraceContext | undefined {
  const parent = headers.traceparent;
  if (typeof parent !== 'string') return undefined;
  const ctx = parseTraceparent(parent);
  if (ctx === undefined) return undefined;
  const rawState = typeof headers.tracestate === 'string' ? headers.tracestate : headers.tracestate?.join(',');
  const traceState = rawState === undefined ? undefined : parseTracestate(rawState);
  return traceState === undefined ? ctx : { ...ctx, traceState };
}

function randomHex(bytes: number): string {
  for (;;) {
    const hex = freshRandomBytes(bytes).toString('hex');
    if (!allZero(hex)) return hex;
  }
}

/**
 * A new span: a child of `parent` (same trace id, flags and tracestate; a fresh span id) or, with no valid
 * parent, the root of a new trace (random trace id, not sampled: this service records no spans itself).
 * Only the sampled bit is carried over: other bits are unknown to version 00 and are sent as zero (3.2.2.5).
 */
export function childSpan(parent?: TraceContext): TraceContext {
  if (parent === undefined) return { traceId: randomHex(16), spanId: randomHex(8), flags: 0 };
  return {
    traceId: parent.traceId,
    spanId: randomHex(8),
    parentSpanId: parent.spanId,
    flags: parent.flags & SAMPLED_FLAG,
    ...(parent.traceState !== undefined ? { traceState: parent.traceState } : {}),
  };
}

/** The traceparent header value (version 00) that announces `ctx.spanId` as the parent of the next hop. */
export function formatTraceparent(ctx: Pick<TraceContext, 'traceId' | 'spanId' | 'flags'>): string {
  return `00-${ctx.traceId}-${ctx.spanId}-${(ctx.flags & 0xff).toString(16).padStart(2, '0')}`;
}
