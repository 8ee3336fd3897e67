import path from 'node:path';
import { readValidatedJson, seedDir } from './json-table';

/**
 * Typed view of src/sandbox/seed/xds-registry.json: the stored queries the sandbox answers, their parameters,
 * and how a DocumentEntry becomes an ebRIM ExtrinsicObject. Every XDS name and UUID the sandbox emits or
 * matches comes from this table (ITI TF-2 3.18.4.1.2.3.7, ITI TF-3 4.2.3.2 and 4.2.5).
 */
export type ParameterKind =
  | 'patientId'
  | 'status'
  | 'code'
  | 'timeFrom'
  | 'timeTo'
  | 'authorPerson'
  | 'objectType'
  | 'referenceId'
  | 'entryUuid'
  | 'uniqueId';

export type CodedField = 'classCode' | 'confidentialityCode' | 'eventCodeList' | 'formatCode' | 'healthcareFacilityTypeCode' | 'practiceSettingCode' | 'typeCode';
export type TimeField = 'creationTime' | 'serviceStartTime' | 'serviceStopTime';

export interface ParameterDefinition {
  readonly kind: ParameterKind;
  readonly field?: CodedField | TimeField;
  readonly required?: boolean;
  /** Several Slots of this name are ANDed (ITI TF-2 3.18.4.1.2.3.5); otherwise the parameter may appear once. */
  readonly andOr?: boolean;
}

export interface StoredQueryDefinition {
  readonly id: string;
  readonly parameters: Readonly<Record<string, ParameterDefinition>>;
  readonly exactlyOneOf?: readonly string[];
}

export interface SlotMap {
  readonly slot: string;
  readonly field: string;
}

export interface XdsRegistryProtocol {
  readonly patientIdAssigningAuthority: string;
  readonly storedQueries: Readonly<Record<string, StoredQueryDefinition>>;
  readonly status: { readonly approved: string; readonly deprecated: string };
  readonly documentEntry: {
    readonly objectTypes: { readonly stable: string; readonly onDemand: string };
    readonly slots: readonly SlotMap[];
    readonly author: { readonly scheme: string; readonly slots: readonly SlotMap[] };
    readonly codingSchemeSlot: string;
    readonly classifications: readonly { readonly field: CodedField; readonly scheme: string }[];
    readonly externalIdentifiers: Readonly<Record<'patientId' | 'uniqueId', { readonly scheme: string; readonly name: string }>>;
  };
  readonly ebrs: {
    readonly classificationObjectType: string;
    readonly externalIdentifierObjectType: string;
    /** PartialSuccess is IHE's (ITI TF-3 4.2.4.2), used by retrieve answers that hold some of the documents asked for. */
    readonly responseStatus: { readonly Success: string; readonly Failure: string; readonly PartialSuccess: string };
    readonly errorSeverity: string;
  };
}

let cached: XdsRegistryProtocol | undefined;

/** The validated protocol table (loaded once). */
export function xdsRegistryProtocol(): XdsRegistryProtocol {
  cached ??= readValidatedJson<XdsRegistryProtocol>(path.join(seedDir(), 'xds-registry.json'), 'xds-registry');
  return cached;
}

/** The stored query with this id, and its name, or undefined. */
export function storedQueryById(protocol: XdsRegistryProtocol, id: string): { name: string; definition: StoredQueryDefinition } | undefined {
  const entry = Object.entries(protocol.storedQueries).find(([, q]) => q.id === id);
  return entry === undefined ? undefined : { name: entry[0], definition: entry[1] };
}
