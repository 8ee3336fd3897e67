/**
 * DICOM DA + TM (+ Timezone Offset From UTC) -> FHIR R4 dateTime (PS3.5 6.2 DA/TM; PS3.3 C.12.1.1.8 Timezone
 * Offset From UTC; FHIR R4 2.24.0.1 dateTime).
 *
 * FHIR requires a time zone once a dateTime has a time of day. DICOM times are local, and the offset is Type 3, so:
 * with a valid offset the full dateTime is written with that offset; without one only the date is written (a
 * guessed zone would be a wrong instant half the year). Old ACR-NEMA forms ('YYYY.MM.DD', 'HH:MM:SS') are tolerated.
 */

const DA = /^(\d{4})\.?(\d{2})\.?(\d{2})$/;
const TM = /^(\d{2})(?::?(\d{2})(?::?(\d{2})(\.\d{1,6})?)?)?$/;
const OFFSET = /^([+-])(\d{2})(\d{2})$/;

function date(da: string): string | undefined {
  const m = DA.exec(da.trim());
  if (!m) return undefined;
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(Number(y), month, 0)).getUTCDate()) return undefined;
  return `${y}-${mo}-${d}`;
}

function time(tm: string): string | undefined {
  const m = TM.exec(tm.trim());
  if (!m) return undefined;
  const [hh, mm = '00', ss = '00'] = [m[1] as string, m[2], m[3]];
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 60) return undefined;
  return `${hh}:${mm}:${ss}${m[4] ?? ''}`;
}

function offset(value: string): string | undefined {
  const m = OFFSET.exec(value.trim());
  if (!m) return undefined;
  const [, sign, hh, mm] = m as unknown as [string, string, string, string];
  // FHIR allows -13:59..+14:00 ; PS3.5 allows -1200..+1400.
  if (Number(hh) > 14 || Number(mm) > 59 || (hh === '14' && mm !== '00')) return undefined;
  return `${sign}${hh}:${mm}`;
}

/**
 * A FHIR dateTime from DICOM date, time and offset; undefined when the date is absent or invalid. An invalid or
 * absent time or offset gives the date alone.
 */
export function dicomToFhirDateTime(da: string | undefined, tm?: string, tz?: string): string | undefined {
  const day = da === undefined ? undefined : date(da);
  if (day === undefined) return undefined;
  const clock = tm === undefined ? undefined : time(tm);
  const zone = tz === undefined ? undefined : offset(tz);
  return clock !== undefined && zone !== undefined ? `${day}T${clock}${zone}` : day;
}
