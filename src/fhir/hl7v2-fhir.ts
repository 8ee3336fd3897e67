import type { Address, HumanName, Identifier, Organization, Patient, Practitioner } from 'fhir/r4';
import { isOid, isUri, oidToUri } from '../mappings/code-systems';
import type { SourcePatientInfoFields } from '../mappings/document-entry';
import { dtmToDate } from './dtm';
import { parseCx, parseXad, parseXcn, parseXon, parseXpn, type Cx, type Hd, type Xon, type Xpn } from './hl7v2';

/**
 * HL7 v2 data types (as XDS writes them, ITI TF-3 Table 4.2.3.1.7-2) to FHIR R4 datatypes and the resources MHD
 * contains for author, authenticator and sourcePatientInfo (ITI TF-2 Appendix Z.9: CX -> Identifier, XCN ->
 * Practitioner, XON -> Organization, PID -> Patient). Builders return undefined when nothing usable is left.
 */

/** The FHIR identifier system of an HD: an ISO OID through mappings/code-systems.json, or a URI as given. */
export function hdToSystem(hd: Hd | undefined): string | undefined {
  const id = hd?.universalId;
  if (id === undefined) return undefined;
  const bare = id.replace(/^urn:oid:/i, '');
  if (hd?.universalIdType?.toUpperCase() === 'ISO' || isOid(bare)) return isOid(bare) ? oidToUri(bare) : undefined;
  return isUri(id) ? id : undefined;
}

function withSystem(system: string | undefined, value: string): Identifier {
  return system === undefined ? { value } : { system, value };
}

/** CX -> Identifier (CX.1 value, CX.4 assigning authority as system). */
export function cxToIdentifier(cx: Cx): Identifier | undefined {
  return cx.id === undefined ? undefined : withSystem(hdToSystem(cx.assigningAuthority), cx.id);
}

/** XPN-like parts -> HumanName. */
export function toHumanName(name: Xpn): HumanName | undefined {
  const out: HumanName = {};
  if (name.family !== undefined) out.family = name.family;
  if (name.given.length > 0) out.given = [...name.given];
  if (name.prefix !== undefined) out.prefix = [name.prefix];
  if (name.suffix !== undefined) out.suffix = [name.suffix];
  return Object.keys(out).length > 0 ? out : undefined;
}

/** XCN -> Practitioner (XCN.1 with XCN.9 as identifier, XCN.2-6 as name). */
export function xcnToPractitioner(text: string): Practitioner | undefined {
  const xcn = parseXcn(text);
  const name = toHumanName(xcn);
  const identifier = xcn.id === undefined ? undefined : withSystem(hdToSystem(xcn.assigningAuthority), xcn.id);
  if (!name && !identifier) return undefined;
  const practitioner: Practitioner = { resourceType: 'Practitioner' };
  if (identifier) practitioner.identifier = [identifier];
  if (name) practitioner.name = [name];
  return practitioner;
}

/** How to write an XON.10 that is itself an OID (no assigning authority): e.g. system urn:ietf:rfc:3986, urn:oid:. */
export interface OidIdentifierStyle {
  readonly system?: string;
  readonly valuePrefix?: string;
}

function xonIdentifier(xon: Xon, style: OidIdentifierStyle): Identifier | undefined {
  if (xon.id === undefined) return undefined;
  const system = hdToSystem(xon.assigningAuthority);
  if (system !== undefined) return { system, value: xon.id };
  if (isOid(xon.id) && style.system !== undefined) return { system: style.system, value: `${style.valuePrefix ?? ''}${xon.id}` };
  return { value: xon.id };
}

/** XON -> Organization (XON.1 name; XON.10 or XON.3 with XON.6 as identifier, so an ODS authority gives ODS). */
export function xonToOrganization(text: string, style: OidIdentifierStyle): Organization | undefined {
  const xon = parseXon(text);
  const identifier = xonIdentifier(xon, style);
  if (xon.name === undefined && !identifier) return undefined;
  const organization: Organization = { resourceType: 'Organization' };
  if (identifier) organization.identifier = [identifier];
  if (xon.name !== undefined) organization.name = xon.name;
  return organization;
}

function toAddress(text: string): Address | undefined {
  const xad = parseXad(text);
  const out: Address = {};
  if (xad.lines.length > 0) out.line = [...xad.lines];
  if (xad.city !== undefined) out.city = xad.city;
  if (xad.state !== undefined) out.state = xad.state;
  if (xad.postalCode !== undefined) out.postalCode = xad.postalCode;
  if (xad.country !== undefined) out.country = xad.country;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** sourcePatientInfo values ('PID-n|value', repeats as separate values or '~') grouped by field. */
function byField(values: readonly string[], separator: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const value of values) {
    const at = value.indexOf(separator);
    if (at <= 0) continue;
    const field = value.slice(0, at).trim().toUpperCase();
    const repeats = value.slice(at + 1).split('~').filter((r) => r.trim() !== '');
    const known = fields.get(field);
    if (known) known.push(...repeats);
    else fields.set(field, repeats);
  }
  return fields;
}

function defined<T>(items: readonly (T | undefined)[]): T[] {
  return items.filter((i): i is T => i !== undefined);
}

/** sourcePatientInfo -> Patient (PID-3 identifiers, PID-5 names, PID-7 birth date, PID-8 gender, PID-11 address). */
export function pidToPatient(values: readonly string[], fields: SourcePatientInfoFields, genderMap: Readonly<Record<string, string>>): Patient | undefined {
  const pid = byField(values, fields.fieldSeparator);
  const get = (field: string): string[] => pid.get(field.toUpperCase()) ?? [];
  const identifier = defined(get(fields.identifier).map((v) => cxToIdentifier(parseCx(v))));
  const name = defined(get(fields.name).map((v) => toHumanName(parseXpn(v))));
  const address = defined(get(fields.address).map(toAddress));
  const birthDate = defined(get(fields.birthDate).map(dtmToDate))[0];
  const gender = get(fields.gender)
    .map((g) => g.trim().toUpperCase())
    .map((g) => (Object.prototype.hasOwnProperty.call(genderMap, g) ? genderMap[g] : undefined))
    .find((g) => g !== undefined);
  const patient: Patient = { resourceType: 'Patient' };
  if (identifier.length > 0) patient.identifier = identifier;
  if (name.length > 0) patient.name = name;
  if (gender === 'male' || gender === 'female' || gender === 'other' || gender === 'unknown') patient.gender = gender;
  if (birthDate !== undefined) patient.birthDate = birthDate;
  if (address.length > 0) patient.address = address;
  return Object.keys(patient).length > 1 ? patient : undefined;
}
