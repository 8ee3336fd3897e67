/**
 * HL7 v2 DTM as XDS uses it (ITI TF-3 Table 4.2.3.1.7-2 "DTM": UTC, precision from YYYY to YYYYMMDDhhmmss)
 * to FHIR R4 date / dateTime / instant (FHIR R4 2.24.0.1).
 *
 * Dates (YYYY, YYYYMM, YYYYMMDD) stay dates. With a time of day, the value is written with full seconds and 'Z',
 * missing minutes or seconds as zero (FHIR dateTime requires seconds once there is a time). Fractional seconds are
 * kept. Tolerated beyond the profile because responders send them: an explicit offset (+hhmm, converted to UTC)
 * and an ISO 8601 value (some gateways put FHIR-style timestamps in creationTime).
 */

export type FhirTime = { readonly precision: 'date'; readonly value: string } | { readonly precision: 'time'; readonly value: string };

const DTM = /^(\d{4})(\d{2})?(\d{2})?(?:(\d{2})(\d{2})?(\d{2})?(\.\d{1,6})?)?([+-]\d{4})?$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function validDate(y: string, m?: string, d?: string): boolean {
  if (m === undefined) return true;
  const month = Number(m);
  if (month < 1 || month > 12) return false;
  if (d === undefined) return true;
  const day = Number(d);
  return day >= 1 && day <= new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
}

function dateOnly(y: string, m?: string, d?: string): FhirTime {
  return { precision: 'date', value: [y, m, d].filter((x) => x !== undefined).join('-') };
}

/** Write a UTC timestamp with full seconds, keeping the given fraction. */
function utc(ms: number, fraction: string): FhirTime | undefined {
  if (!Number.isFinite(ms)) return undefined;
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDThh:mm:ss.sssZ
  return { precision: 'time', value: `${iso.slice(0, 19)}${fraction}Z` };
}

/** The last value parsed and its result: several rules read the same slot (creationTime: date and creation). */
let lastText: string | undefined;
let lastParsed: FhirTime | undefined;

/** Parse an XDS DTM (or tolerated ISO 8601) value; undefined when it is not a valid time. */
export function parseDtm(text: string): FhirTime | undefined {
  if (text !== lastText) {
    lastParsed = parseUncached(text);
    lastText = text;
  }
  return lastParsed;
}

function parseUncached(text: string): FhirTime | undefined {
  const value = text.trim();
  if (ISO.test(value)) return utc(Math.floor(Date.parse(value) / 1000) * 1000, /\.\d+/.exec(value.slice(19))?.[0] ?? '');
  const m = DTM.exec(value);
  if (!m) return undefined;
  const [, y = '', mo, d, hh, mi, ss, frac, offset] = m;
  if (!validDate(y, mo, d)) return undefined;
  if (hh === undefined) return offset === undefined ? dateOnly(y, mo, d) : undefined;
  if (d === undefined || Number(hh) > 23 || Number(mi ?? 0) > 59 || Number(ss ?? 0) > 59) return undefined;
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(hh), Number(mi ?? 0), Number(ss ?? 0));
  const sign = offset?.startsWith('-') ? -1 : 1;
  const shift = offset === undefined ? 0 : sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3, 5))) * 60000;
  return utc(local - shift, frac ?? '');
}

/** FHIR dateTime (or date) from a DTM; undefined when invalid. */
export function dtmToDateTime(text: string): string | undefined {
  return parseDtm(text)?.value;
}

/** FHIR instant from a DTM: only when it has a time of day (an instant cannot carry reduced precision). */
export function dtmToInstant(text: string): string | undefined {
  const parsed = parseDtm(text);
  return parsed?.precision === 'time' ? parsed.value : undefined;
}

/** FHIR date from a DTM (e.g. PID-7 birth date): the date part of whatever precision was given. */
export function dtmToDate(text: string): string | undefined {
  const parsed = parseDtm(text);
  if (!parsed) return undefined;
  return parsed.precision === 'date' ? parsed.value : parsed.value.slice(0, 10);
}
