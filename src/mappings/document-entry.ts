import path from 'node:path';
import { fromRoot } from '../config/paths';
import { loadMappingTable, MappingTableError } from './load';

/**
 * Types of mappings/document-entry.json (XDS DocumentEntry -> MHD DocumentReference, ITI TF-3 4.2.3.2 and MHD's
 * DocumentEntry-Mapping) and its loader. The interpreter is src/fhir/document-reference.ts.
 */

/** ExtrinsicObject attributes a rule may read (fields of RimExtrinsicObject). */
export type RimAttribute = 'id' | 'lid' | 'home' | 'mimeType' | 'status' | 'objectType' | 'name' | 'description';
export type KeyName = 'entryUUID' | 'uniqueId' | 'repositoryUniqueId' | 'patientId' | 'homeCommunityId';
/** The keys of the table's `keys` section, in reading order. */
export const KEY_NAMES: readonly KeyName[] = ['entryUUID', 'uniqueId', 'repositoryUniqueId', 'patientId', 'homeCommunityId'];
export type ContextValue = 'homeCommunityId' | 'nhsNumber';
export type DerivedValue = 'resourceId' | 'binaryUrl';

/** Where a value comes from in the ExtrinsicObject, or in the mapping context. */
export type RawSource =
  | { readonly attribute: RimAttribute }
  | { readonly slot: string }
  /** Classifications by scheme (values are the classifications), or one slot of them (values are strings). */
  | { readonly classification: string; readonly slot?: string; readonly codingScheme?: string }
  | { readonly externalIdentifier: string }
  | { readonly context: ContextValue };

export type Source = RawSource | { readonly key: KeyName } | { readonly derived: DerivedValue } | { readonly constant: string };

export type TransformName =
  | 'string'
  | 'identifier'
  | 'uniqueIdToIdentifier'
  | 'valueMap'
  | 'identifierReference'
  | 'oidToUrn'
  | 'codeableConcept'
  | 'coding'
  | 'dtmToDateTime'
  | 'dtmToInstant'
  | 'integer'
  | 'hexSha1ToBase64'
  | 'language'
  | 'xcnToPractitioner'
  | 'xonToOrganization'
  | 'sourcePatientInfoToPatient'
  | 'cxToIdentifier'
  | 'cxiToRelated';

export interface TransformParams {
  readonly system?: string;
  readonly use?: 'usual' | 'official' | 'temp' | 'secondary' | 'old';
  readonly valuePrefix?: string;
  /** Name of a table valueMap. */
  readonly map?: string;
  /** Key of a mappings/code-systems.json entry. */
  readonly systemKey?: string;
}

export interface MappingRule {
  readonly $comment: string;
  /** The XDS attribute mapped (used in reasons and warnings). */
  readonly xds: string;
  /** FHIR path: `a.b`, `a[0].b`, `a[]` (append) as last segment. */
  readonly target: string;
  /** One source, or several tried in order (the first giving values wins). */
  readonly source: Source | readonly Source[];
  readonly transform: TransformName;
  readonly params?: TransformParams;
  /** Name of a condition that must hold for the rule to apply. */
  readonly when?: string;
  /** The entry is left out when the rule yields nothing. */
  readonly required?: boolean;
  /** Wrap the value in an extension with this url and value[x]. */
  readonly extension?: { readonly url: string; readonly valueType: string };
}

export interface KeyDefinition {
  readonly xds: string;
  readonly source: RawSource | readonly RawSource[];
}

export interface CodingDefinition {
  readonly system: string;
  readonly code: string;
  readonly display?: string;
}

export interface ReferenceIdType {
  readonly system?: string;
  readonly systemFromAssigningAuthority?: boolean;
  readonly valuePrefix?: string;
  readonly referenceType?: string;
  readonly type?: readonly CodingDefinition[];
}

export interface Condition {
  readonly all: readonly { readonly source: Source; readonly equals: string }[];
}

export interface SourcePatientInfoFields {
  readonly fieldSeparator: string;
  readonly identifier: string;
  readonly name: string;
  readonly birthDate: string;
  readonly gender: string;
  readonly address: string;
  readonly genderMap: string;
}

export interface DocumentEntryTable {
  readonly keys: Readonly<Record<KeyName, KeyDefinition>>;
  readonly coding: { readonly schemeSlot: string };
  readonly valueMaps: Readonly<Record<string, { readonly map: Readonly<Record<string, string>> }>>;
  readonly sourcePatientInfo: SourcePatientInfoFields;
  readonly referenceIdTypes: { readonly types: Readonly<Record<string, ReferenceIdType>>; readonly default: ReferenceIdType };
  readonly conditions: Readonly<Record<string, Condition>>;
  readonly rules: readonly MappingRule[];
}

/** Cross-references JSON Schema cannot check: conditions and value maps named by rules must exist. */
function checkReferences(table: DocumentEntryTable, file: string): void {
  const mapNames = new Set(Object.keys(table.valueMaps));
  if (!mapNames.has(table.sourcePatientInfo.genderMap)) {
    throw new MappingTableError(file, `/sourcePatientInfo/genderMap names no valueMap '${table.sourcePatientInfo.genderMap}'`);
  }
  table.rules.forEach((rule, i) => {
    if (rule.when !== undefined && !Object.prototype.hasOwnProperty.call(table.conditions, rule.when)) {
      throw new MappingTableError(file, `/rules/${i}/when names no condition '${rule.when}'`);
    }
    if (rule.transform === 'valueMap' && (rule.params?.map === undefined || !mapNames.has(rule.params.map))) {
      throw new MappingTableError(file, `/rules/${i}/params/map must name a valueMap`);
    }
    if (rule.transform === 'identifierReference' && rule.params?.systemKey === undefined) {
      throw new MappingTableError(file, `/rules/${i}/params/systemKey is required by identifierReference`);
    }
  });
}

/** Load and check mappings/document-entry.json (or the copy in `dir`); throws MappingTableError when broken. */
export function loadDocumentEntryTable(dir?: string): DocumentEntryTable {
  const table = loadMappingTable<DocumentEntryTable>('document-entry', dir);
  checkReferences(table, path.join(dir ?? fromRoot('mappings'), 'document-entry.json'));
  return table;
}

let cached: DocumentEntryTable | undefined;

/** The project's table, loaded once. */
export function documentEntryTable(): DocumentEntryTable {
  cached ??= loadDocumentEntryTable();
  return cached;
}
