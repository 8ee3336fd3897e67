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
  return text.includes('\\') ? text.replace(/\\([FSTRE])\\/g, (_m, c: string) => ESCAPES[c] ?? _m) : text;
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

/*
 * The readers build their results property by property, leaving out what is undefined, in the order of the
 * interfaces above (no spread or Object.entries round trip: they run several times for every DocumentEntry).
 */

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Read an HD written as subcomponents (namespace&universalId&type), as it stands inside CX/XCN/XON. */
export function parseHd(text: string | undefined): Hd | undefined {
  const p = split(text, '&');
  const namespaceId = part(p, 1);
  const universalId = part(p, 2);
  const universalIdType = part(p, 3);
  if (namespaceId === undefined && universalId === undefined && universalIdType === undefined) return undefined;
  const hd: Mutable<Hd> = {};
  if (namespaceId !== undefined) hd.namespaceId = namespaceId;
  if (universalId !== undefined) hd.universalId = universalId;
  if (universalIdType !== undefined) hd.universalIdType = universalIdType;
  return hd;
}

/** CX or CXi (referenceIdList, 4.2.3.2.28). */
export function parseCx(text: string): Cx {
  const p = split(text, '^');
  const cx: Mutable<Cx> = {};
  const id = part(p, 1);
  if (id !== undefined) cx.id = id;
  const assigningAuthority = parseHd(p[3]);
  if (assigningAuthority !== undefined) cx.assigningAuthority = assigningAuthority;
  const typeCode = part(p, 5);
  if (typeCode !== undefined) cx.typeCode = typeCode;
  const assigningFacility = parseHd(p[5]);
  if (assigningFacility !== undefined) cx.assigningFacility = assigningFacility;
  return cx;
}

/** Name components from `offset` on: family (FN, its first subcomponent), given, middle, suffix, prefix. */
function parseName(p: readonly string[], offset: number): Mutable<Xpn> {
  const given: string[] = [];
  const first = part(p, offset + 1);
  if (first !== undefined) given.push(first);
  const middle = part(p, offset + 2);
  if (middle !== undefined) given.push(middle);
  const family = part(split(p[offset - 1], '&'), 1);
  const name: Mutable<Xpn> = family === undefined ? { given } : { family, given };
  const suffix = part(p, offset + 3);
  if (suffix !== undefined) name.suffix = suffix;
  const prefix = part(p, offset + 4);
  if (prefix !== undefined) name.prefix = prefix;
  return name;
}

/** XPN (PID-5 inside sourcePatientInfo). */
export function parseXpn(text: string): Xpn {
  return parseName(split(text, '^'), 1);
}

/** XCN (authorPerson, legalAuthenticator). */
export function parseXcn(text: string): Xcn {
  const p = split(text, '^');
  const xcn: Mutable<Xcn> = parseName(p, 2);
  const id = part(p, 1);
  if (id !== undefined) xcn.id = id;
  const assigningAuthority = parseHd(p[8]);
  if (assigningAuthority !== undefined) xcn.assigningAuthority = assigningAuthority;
  return xcn;
}

/** XON (authorInstitution). */
export function parseXon(text: string): Xon {
  const p = split(text, '^');
  const xon: Mutable<Xon> = {};
  const name = part(p, 1);
  if (name !== undefined) xon.name = name;
  const assigningAuthority = parseHd(p[5]);
  if (assigningAuthority !== undefined) xon.assigningAuthority = assigningAuthority;
  const id = part(p, 10) ?? part(p, 3);
  if (id !== undefined) xon.id = id;
  return xon;
}

/** XAD (PID-11 inside sourcePatientInfo). */
export function parseXad(text: string): Xad {
  const p = split(text, '^');
  const lines = [part(p, 1), part(p, 2)].filter((l): l is string => l !== undefined);
  const xad: Mutable<Xad> = { lines };
  const city = part(p, 3);
  if (city !== undefined) xad.city = city;
  const state = part(p, 4);
  if (state !== undefined) xad.state = state;
  const postalCode = part(p, 5);
  if (postalCode !== undefined) xad.postalCode = postalCode;
  const country = part(p, 6);
  if (country !== undefined) xad.country = country;
  return xad;
}
