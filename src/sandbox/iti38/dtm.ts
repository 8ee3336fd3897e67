import { RegistryQueryError } from './registry-error';
import { parseNumber } from './slot-values';

/**
 * HL7 V2 DTM as XDS uses it (ITI TF-3 4.2.3.1.5): UTC, no offset, precision from year (YYYY) to second
 * (YYYYMMDDhhmmss), and time range parameters of the stored queries (ITI TF-2 3.18.4.1.2.3.7.1: From is
 * inclusive, `>=`; To is exclusive, `<`).
 *
 * Precision: two values are compared at the precision both have (the longer one is truncated to the length of
 * the shorter). So From=2024 matches a document created 20240312..., To=2024 excludes it, and a document known
 * only to the day (20240312) is not excluded by From=20240312093000. A document without the attribute never
 * matches a range on it.
 */
const LENGTHS = new Set([4, 6, 8, 10, 12, 14]);

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** True for a DTM of XDS precision: digits only, a permitted length, each component in range. */
export function isValidDtm(value: string): boolean {
  if (!/^[0-9]+$/.test(value) || !LENGTHS.has(value.length)) return false;
  const n = (from: number): number => Number(value.slice(from, from + 2));
  const year = Number(value.slice(0, 4));
  if (value.length >= 6 && (n(4) < 1 || n(4) > 12)) return false;
  if (value.length >= 8 && (n(6) < 1 || n(6) > daysInMonth(year, n(4)))) return false;
  if (value.length >= 10 && n(8) > 23) return false;
  if (value.length >= 12 && n(10) > 59) return false;
  if (value.length >= 14 && n(12) > 59) return false;
  return true;
}

/** Read a time parameter: an unquoted number that is a valid DTM, else XDSRegistryError. */
export function parseTimeParameter(slot: string, raw: string): string {
  const value = parseNumber(slot, raw);
  if (!isValidDtm(value)) {
    throw new RegistryQueryError('XDSRegistryError', `slot ${slot}: ${value} is not an HL7 DTM in UTC (YYYY[MM[DD[hh[mm[ss]]]]], ITI TF-3 4.2.3.1.5)`);
  }
  return value;
}

/** Compare two DTMs at their common precision: negative, zero or positive. */
export function compareDtm(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  const x = a.slice(0, n);
  const y = b.slice(0, n);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `value >= from` at common precision; false when the document has no value. */
export function dtmAtOrAfter(value: string | undefined, from: string): boolean {
  return value !== undefined && compareDtm(value, from) >= 0;
}

/** `value < to` at common precision; false when the document has no value. */
export function dtmBefore(value: string | undefined, to: string): boolean {
  return value !== undefined && compareDtm(value, to) < 0;
}
