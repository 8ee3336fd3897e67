import { FacadeError } from '../errors/facade-error';

/**
 * FHIR date search values (R4 search 3.1.1.5.4: prefixes and implicit ranges) turned into the half-open UTC
 * interval XDS time slots use (ITI TF-2 3.18.4.1.2.3.6: From inclusive, To exclusive, DTM in UTC).
 */
export type DatePrefix = 'eq' | 'ge' | 'gt' | 'le' | 'lt';

export interface DateBound {
  /** Inclusive lower bound, or undefined. */
  readonly from?: Date;
  /** Exclusive upper bound, or undefined. */
  readonly to?: Date;
}

const DATE_RE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

function invalid(param: string, value: string, why: string): FacadeError {
  return new FacadeError('INVALID_PARAMETER', `Invalid date '${value}' for '${param}': ${why}`, { expression: param });
}

/** The implicit range [start, end) a FHIR date value stands for at its own precision. */
export function implicitRange(param: string, value: string): { start: Date; end: Date } {
  const m = DATE_RE.exec(value);
  if (!m) throw invalid(param, value, 'expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss]+zone');
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = mo === undefined ? 0 : Number(mo) - 1;
  const day = d === undefined ? 1 : Number(d);
  if (month > 11 || day < 1 || day > 31) throw invalid(param, value, 'month or day out of range');
  if (h !== undefined && zone === undefined) throw invalid(param, value, 'a time needs a time zone');
  const offsetMin = zone === undefined || zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  const startMs = Date.UTC(year, month, day, Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), ms) - offsetMin * 60000;
  const start = new Date(startMs);
  if (start.getUTCDate() !== day && h === undefined) throw invalid(param, value, 'no such day');
  const end = new Date(startMs);
  if (mo === undefined) end.setUTCFullYear(year + 1);
  else if (d === undefined) end.setUTCMonth(month + 1);
  else if (h === undefined) end.setUTCDate(day + 1);
  else if (s === undefined) end.setTime(startMs + 60_000);
  else if (frac === undefined) end.setTime(startMs + 1000);
  else end.setTime(startMs + 1);
  return { start, end };
}

/** Parse one prefixed date value into the bounds it puts on the search. */
export function parseDateSearch(param: string, raw: string): DateBound {
  const prefixMatch = /^(eq|ne|gt|lt|ge|le|sa|eb|ap)?(.*)$/.exec(raw);
  const prefix = (prefixMatch?.[1] ?? 'eq') as DatePrefix | 'ne' | 'sa' | 'eb' | 'ap';
  const { start, end } = implicitRange(param, prefixMatch?.[2] ?? raw);
  switch (prefix) {
    case 'eq':
      return { from: start, to: end };
    case 'ge':
      return { from: start };
    case 'gt':
      return { from: end };
    case 'lt':
      return { to: start };
    case 'le':
      return { to: end };
    default:
      throw new FacadeError('INVALID_PARAMETER', `Date prefix '${prefix}' is not supported for '${param}' (use eq, ge, gt, le, lt)`, { expression: param });
  }
}

/** Combine several values of one date parameter (AND): the tightest bounds win. */
export function intersect(bounds: readonly DateBound[]): DateBound {
  let from: Date | undefined;
  let to: Date | undefined;
  for (const b of bounds) {
    if (b.from && (!from || b.from > from)) from = b.from;
    if (b.to && (!to || b.to < to)) to = b.to;
  }
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

/** HL7 v2 DTM in UTC at seconds precision, as XDS time slots expect. */
export function toDtm(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
