import { childSpan, formatTraceparent, parseTraceparent, readTraceContext, SAMPLED_FLAG } from '../../../src/observability/trace-context';
import { parseTracestate, parseTracestateMembers } from '../../../src/observability/tracestate';

/** Examples from W3C Trace Context Level 1 (sections 3.2.2 and 3.3.1.3), and deliberately broken variants. */
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const SAMPLED = `00-${TRACE_ID}-${PARENT_ID}-01`;
const NOT_SAMPLED = `00-${TRACE_ID}-${PARENT_ID}-00`;

describe('parseTraceparent', () => {
  it('reads the spec examples', () => {
    expect(parseTraceparent(SAMPLED)).toEqual({ traceId: TRACE_ID, spanId: PARENT_ID, flags: 1 });
    expect(parseTraceparent(NOT_SAMPLED)).toEqual({ traceId: TRACE_ID, spanId: PARENT_ID, flags: 0 });
  });

  it('reads a higher version as far as the version 00 fields go (3.2.4)', () => {
    expect(parseTraceparent(`cc-${TRACE_ID}-${PARENT_ID}-01-what-the-future-will-be-like`)).toEqual({ traceId: TRACE_ID, spanId: PARENT_ID, flags: 1 });
    expect(parseTraceparent(`01-${TRACE_ID}-${PARENT_ID}-09`)?.flags).toBe(9);
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['all-zero trace-id', `00-${'0'.repeat(32)}-${PARENT_ID}-01`],
    ['all-zero parent-id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['uppercase hex', `00-${TRACE_ID.toUpperCase()}-${PARENT_ID}-01`],
    ['version ff', `ff-${TRACE_ID}-${PARENT_ID}-01`],
    ['version 00 with trailing data', `${SAMPLED}-extra`],
    ['a higher version not followed by a dash', `cc-${TRACE_ID}-${PARENT_ID}-01.x`],
    ['a non-hex version', `0g-${TRACE_ID}-${PARENT_ID}-01`],
    ['short trace-id', `00-${TRACE_ID.slice(1)}-${PARENT_ID}-01`],
    ['long parent-id', `00-${TRACE_ID}-${PARENT_ID}0-01`],
    ['non-hex flags', `00-${TRACE_ID}-${PARENT_ID}-0x`],
    ['one-digit flags', `00-${TRACE_ID}-${PARENT_ID}-1`],
    ['wrong separators', `00_${TRACE_ID}_${PARENT_ID}_01`],
    ['two headers joined by node:http', `${SAMPLED}, ${NOT_SAMPLED}`],
  ])('refuses %s', (_what, value) => {
    expect(parseTraceparent(value)).toBeUndefined();
  });
});

describe('readTraceContext', () => {
  it('keeps the tracestate of a valid traceparent, joining repeated headers (3.3.1.1)', () => {
    expect(readTraceContext({ traceparent: SAMPLED, tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE' })?.traceState)
      .toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    expect(readTraceContext({ traceparent: SAMPLED, tracestate: ['rojo=00f067aa0ba902b7', 'congo=t61rcWkgMzE'] })?.traceState)
      .toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
  });

  it('drops the tracestate with an invalid traceparent, and an invalid tracestate alone', () => {
    expect(readTraceContext({ traceparent: `00-${'0'.repeat(32)}-${PARENT_ID}-01`, tracestate: 'congo=t61rcWkgMzE' })).toBeUndefined();
    expect(readTraceContext({ traceparent: SAMPLED, tracestate: 'congo=t61rcWkgMzE,congo=again' })).toEqual({ traceId: TRACE_ID, spanId: PARENT_ID, flags: 1 });
  });

  it('refuses several traceparent headers and a missing one', () => {
    expect(readTraceContext({ traceparent: [SAMPLED, NOT_SAMPLED] })).toBeUndefined();
    expect(readTraceContext({ tracestate: 'congo=t61rcWkgMzE' })).toBeUndefined();
  });
});

describe('parseTracestate', () => {
  it('accepts simple and multi-tenant keys, empty members and optional whitespace', () => {
    expect(parseTracestate(' rojo=00f067aa0ba902b7 ,, congo=t61rcWkgMzE\t')).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    expect(parseTracestateMembers('fw529a3039@dt=00f067aa0ba902b7,a*/_-9=v a l')).toEqual([
      { key: 'fw529a3039@dt', value: '00f067aa0ba902b7' },
      { key: 'a*/_-9', value: 'v a l' },
    ]);
  });

  it.each([
    ['an uppercase key', 'Rojo=1'],
    ['a key starting with a digit', '1rojo=1'],
    ['a value with "="', 'rojo=a=b'],
    ['a key over 256 characters', `${'a'.repeat(257)}=1`],
    ['a value over 256 characters', `rojo=${'v'.repeat(257)}`],
    ['an empty value', 'rojo='],
    ['a member without "="', 'rojo'],
    ['a duplicate key', 'rojo=1,rojo=2'],
    ['a system id over 14 characters', 'tenant@abcdefghijklmno=1'],
    ['a non-printable value', 'rojo=caf\u00e9'],
    ['33 members', Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(',')],
    ['nothing at all', ' , '],
  ])('drops a list with %s', (_what, header) => {
    expect(parseTracestate(header)).toBeUndefined();
  });

  it('accepts 32 members', () => {
    expect(parseTracestateMembers(Array.from({ length: 32 }, (_, i) => `k${i}=v`).join(','))).toHaveLength(32);
  });
});

describe('childSpan and formatTraceparent', () => {
  it('continues the trace: same trace id and tracestate, a fresh span id, the caller as parent', () => {
    const parent = readTraceContext({ traceparent: SAMPLED, tracestate: 'congo=t61rcWkgMzE' });
    const child = childSpan(parent);
    expect(child).toMatchObject({ traceId: TRACE_ID, parentSpanId: PARENT_ID, flags: SAMPLED_FLAG, traceState: 'congo=t61rcWkgMzE' });
    expect(child.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(child.spanId).not.toBe(PARENT_ID);
    expect(formatTraceparent(child)).toBe(`00-${TRACE_ID}-${child.spanId}-01`);
    expect(parseTraceparent(formatTraceparent(child))).toEqual({ traceId: TRACE_ID, spanId: child.spanId, flags: 1 });
  });

  it('starts a new, unsampled trace when there is no valid parent', () => {
    const a = childSpan(readTraceContext({ traceparent: 'garbage' }));
    const b = childSpan();
    expect(a.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(a.traceId).not.toBe(b.traceId);
    expect(a.parentSpanId).toBeUndefined();
    expect(formatTraceparent(a)).toBe(`00-${a.traceId}-${a.spanId}-00`);
  });

  it('carries only the sampled bit of flags unknown to version 00', () => {
    const child = childSpan(parseTraceparent(`00-${TRACE_ID}-${PARENT_ID}-ff`));
    expect(formatTraceparent(child).endsWith('-01')).toBe(true);
    expect(formatTraceparent({ traceId: TRACE_ID, spanId: PARENT_ID, flags: 0x0b })).toBe(`00-${TRACE_ID}-${PARENT_ID}-0b`);
  });
});
