/**
 * xs:dateTime as SAML 2.0 (Core 1.3.3) and WS-Security (WSS 1.0 section 10) use it: written in UTC with a `Z`,
 * read strictly. A value without a time zone is refused: its instant would depend on the reader's clock zone.
 */

const XS_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** A Date as xs:dateTime in UTC with milliseconds (e.g. 2025-01-31T09:00:00.000Z). */
export function toXsDateTime(date: Date): string {
  return date.toISOString();
}

/** Milliseconds since the epoch of an xs:dateTime, or undefined when it is not a zoned xs:dateTime. */
export function parseXsDateTime(value: string): number | undefined {
  const m = XS_DATE_TIME.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const millis = frac === undefined ? 0 : Math.floor(Number(`0${frac}`) * 1000);
  let time = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), millis);
  // Date.UTC silently rolls 2025-02-30 over into March: refuse values that do not round-trip.
  const check = new Date(time);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const [zh, zm] = zone.slice(1).split(':').map(Number);
    time -= sign * ((zh ?? 0) * 60 + (zm ?? 0)) * 60_000;
  }
  return time;
}
