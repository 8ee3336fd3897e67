import { loadMappingTable } from '../../mappings/load';
import { isOid, uriToOid } from '../../mappings/code-systems';
import { XuaError } from './errors';
import type { XuaCode, XuaSubject } from './types';

/**
 * Lookups over mappings/xua-attributes.json: which SAML attribute carries which XuaSubject field (ITI TF-2
 * 3.40.4.1.2, XSPA-SAML 1.0), the Subject constants, code-system names and defaults. Loaded once.
 */

/** The XuaSubject fields carried as SAML attributes (nameId travels in Subject/NameID instead). */
export type XuaAttributeField = Exclude<keyof XuaSubject, 'nameId'>;
export type XuaCodedField = 'role' | 'purposeOfUse';

export interface XuaTextAttribute {
  readonly name: string;
  readonly kind: 'text';
  readonly xspaType: 'xs:string' | 'xs:anyURI';
  readonly readAliases?: readonly string[];
  readonly source: string;
}

export interface XuaCodedAttribute {
  readonly name: string;
  readonly kind: 'hl7:CE';
  /** Local name of the urn:hl7-org:v3 element inside AttributeValue (Role, PurposeOfUse). */
  readonly element: string;
  readonly readAliases?: readonly string[];
  readonly source: string;
}

export interface XuaAttributesTable {
  readonly attributeNameFormat: string;
  readonly attributes: Readonly<Record<Exclude<XuaAttributeField, XuaCodedField>, XuaTextAttribute> & Record<XuaCodedField, XuaCodedAttribute>>;
  readonly subject: { readonly nameIdFormat: string; readonly confirmationMethod: string; readonly authnContextClassRef: string };
  readonly codeSystems: ReadonlyArray<{ readonly use: XuaCodedField; readonly oid: string; readonly name: string }>;
  readonly defaults: {
    readonly purposeOfUse: XuaCode;
    readonly assertionValiditySeconds: number;
    readonly timestampValiditySeconds: number;
    readonly clockSkewSeconds: number;
  };
}

/** Attribute fields in the order they are written (the order of ITI TF-2 3.40.4.1.2). */
export const XUA_ATTRIBUTE_FIELDS: readonly XuaAttributeField[] = [
  'subjectName',
  'organization',
  'organizationId',
  'homeCommunityId',
  'role',
  'purposeOfUse',
];

let table: XuaAttributesTable | undefined;

/** Load and validate mappings/xua-attributes.json (or the copy in `dir`); throws MappingTableError when broken. */
export function loadXuaAttributesTable(dir?: string): XuaAttributesTable {
  return loadMappingTable<XuaAttributesTable>('xua-attributes', dir);
}

/** The table, loaded on first use. */
export function xuaAttributes(): XuaAttributesTable {
  table ??= loadXuaAttributesTable();
  return table;
}

/** The purpose of use to send when the caller states none (the table's default: TREATMENT). */
export function defaultPurposeOfUse(): XuaCode {
  return xuaAttributes().defaults.purposeOfUse;
}

/** The XuaSubject field an AttributeStatement attribute name stands for (its aliases included), if any. */
export function fieldOfAttributeName(name: string): XuaAttributeField | undefined {
  const { attributes } = xuaAttributes();
  return XUA_ATTRIBUTE_FIELDS.find((field) => attributes[field].name === name || (attributes[field].readAliases ?? []).includes(name));
}

/**
 * The OID a CE codeSystem must hold (HL7 v3 CE.codeSystem is an OID): a bare OID, `urn:oid:<oid>`, or a FHIR
 * system URI that mappings/code-systems.json knows. Anything else is refused rather than sent half-right.
 */
export function codeSystemOid(field: XuaCodedField, system: string): string {
  const value = system.trim();
  const oid = isOid(value) ? value : uriToOid(value);
  if (oid === undefined) throw new XuaError(`${field}.system`, `${field}.system is neither an OID nor a code system URI with a known OID`);
  return oid;
}

/** codeSystemName for a CE, when the table knows the system for that use. */
export function codeSystemName(field: XuaCodedField, oid: string): string | undefined {
  return xuaAttributes().codeSystems.find((entry) => entry.use === field && entry.oid === oid)?.name;
}
