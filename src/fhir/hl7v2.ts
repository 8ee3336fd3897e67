/**
 * Readers for the HL7 v2.5 data types XDS metadata carries in slot values (ITI TF-3 Table 4.2.3.1.7-2:
 * CX, CXi, XCN, XON, HD, plus XPN/XAD inside sourcePatientInfo, 4.2.3.2.24). Components are split on '^',
 * subcomponents on '&', and HL7 escapes (\F\ \S\ \T\ \R\ \E\) are undone after splitting (HL7 v2.5 2.7).
 * Readers never throw: an empty or malformed value yields empty parts.
 */

/** HD: assigning authority / facility. */
export interface Hd {
  readonly namespaceId?: string;
  readonly universalId?: string;
  readonly universalIdType?: string;
}

/** CX / CXi: identifier with assigning authority (CX.4), identifier type code (CX.5), assigning facility (CX.6). */
export interface Cx {
  readonly id?: string;
  readonly assigningAuthority?: Hd;
  readonly typeCode?: string;
  readonly assigningFacility?: Hd;
}

/** XPN / the name part of XCN. */
export interface Xpn {
  readonly family?: string;
  readonly given: readonly string[];
  readonly suffix?: string;
  readonly prefix?: string;
}

/** XCN: person with an optional id and assigning authority (XCN.9). */
export interface Xcn extends Xpn {
  readonly id?: string;
  readonly assigningAuthority?: Hd;
}

/** XON: organisation name (XON.1), assigning authority (XON.6), identifier (XON.10, or legacy XON.3). */
export interface Xon {
  readonly name?: string;
  readonly assigningAuthority?: Hd;
  readonly id?: string;
}

/** XAD: street (1, 2), city (3), state (4), postal code (5), country (6). */
export interface Xad {
  readonly lines: readonly string[];
  readonly city?: string;
  readonly state?: string;
  readonly postalCode?: string;
  readonly country?: string;
}

const ESCAPES: Readonly<Record<string, string>> = { F: '|', S: '^', T: '&', R: '~', E: '\\' };

/** Undo HL7 escape sequences; unknown escapes are kept as they stand. */
export function unescapeHl7(text: string): string {
  return text.replace(/\\([FSTRE])\\/g, (_m, c: string) => ESCAPES[c] ?? _m);
}

/** Split on a delimiter, keeping positions (1-based component n is index n-1). */
function split(text: string | undefined, delimiter: '^' | '&'): string[] {
  return text === undefined || text === '' ? [] : text.split(delimiter);
}

/** A component, unescaped and trimmed, or undefined when empty. */
function part(parts: readonly string[], position: number): string | undefined {
  const raw = parts[position - 1];
  if (raw === undefined) return undefined;
  const value = unescapeHl7(raw).trim();
  return value === '' ? undefined : value;
}

function compact<T extends object>(value: T): T | undefined {
  return Object.values(value).some((v) => v !== undefined && !(Array.isArray(v) && v.length === 0)) ? value : undefined;
}

function defined<T extends object>(value: { [K in keyof T]: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Read an HD written as subcomponents (namespace&universalId&type), as it stands inside CX/XCN/XON. */
export function parseHd(text: string | undefined): Hd | undefined {
  const p = split(text, '&');
  return compact(defined<Hd>({ namespaceId: part(p, 1), universalId: part(p, 2), universalIdType: part(p, 3) }));
}

/** CX or CXi (referenceIdList, 4.2.3.2.28). */
export function parseCx(text: string): Cx {
  const p = split(text, '^');
  return defined<Cx>({ id: part(p, 1), assigningAuthority: parseHd(p[3]), typeCode: part(p, 5), assigningFacility: parseHd(p[5]) });
}

/** Name components from `offset` on: family (FN, its first subcomponent), given, middle, suffix, prefix. */
function parseName(p: readonly string[], offset: number): Xpn {
  const given = [part(p, offset + 1), part(p, offset + 2)].filter((g): g is string => g !== undefined);
  const family = part(split(p[offset - 1], '&'), 1);
  return defined<Xpn>({ family, given, suffix: part(p, offset + 3), prefix: part(p, offset + 4) });
}

/** XPN (PID-5 inside sourcePatientInfo). */
export function parseXpn(text: string): Xpn {
  return parseName(split(text, '^'), 1);
}

/** XCN (authorPerson, legalAuthenticator). */
export function parseXcn(text: string): Xcn {
  const p = split(text, '^');
  return { ...parseName(p, 2), ...defined<Pick<Xcn, 'id' | 'assigningAuthority'>>({ id: part(p, 1), assigningAuthority: parseHd(p[8]) }) };
}

/** XON (authorInstitution). */
export function parseXon(text: string): Xon {
  const p = split(text, '^');
  return defined<Xon>({ name: part(p, 1), assigningAuthority: parseHd(p[5]), id: part(p, 10) ?? part(p, 3) });
}

/** XAD (PID-11 inside sourcePatientInfo). */
export function parseXad(text: string): Xad {
  const p = split(text, '^');
  const lines = [part(p, 1), part(p, 2)].filter((l): l is string => l !== undefined);
  return defined<Xad>({ lines, city: part(p, 3), state: part(p, 4), postalCode: part(p, 5), country: part(p, 6) });
}
