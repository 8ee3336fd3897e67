import type { CodedField, ParameterDefinition, StoredQueryDefinition, TimeField, XdsRegistryProtocol } from '../protocol';
import { parseTimeParameter } from './dtm';
import { decodeCodes, decodeEntryUuids, decodeObjectTypes, decodePatientId, decodeStatuses, decodeStrings } from './param-values';
import type { FindDocumentsQuery, GetDocumentsQuery, Iti38Query, RawSlot, TimeRange } from './query-types';
import { RegistryQueryError } from './registry-error';
import { singleValue, type CodedValue } from './slot-values';

/**
 * Checks the slots of one AdhocQuery against its stored query definition and decodes them (ITI TF-2
 * 3.18.4.1.2.3.5 and 3.18.4.1.2.3.7): a slot that is not a parameter of the query → XDSRegistryError; a required
 * parameter missing → XDSStoredQueryMissingParam; a parameter repeated that has no AND semantics, more than one
 * Value for a single-valued parameter, or both of GetDocuments' alternatives → XDSStoredQueryParamNumber
 * (ITI TF-3 Table 4.2.4.1-2 gives the meaning of each code).
 */
type SlotGroups = ReadonlyMap<string, readonly RawSlot[]>;

function groupSlots(queryName: string, def: StoredQueryDefinition, slots: readonly RawSlot[]): SlotGroups {
  const groups = new Map<string, RawSlot[]>();
  for (const slot of slots) {
    const param = def.parameters[slot.name];
    if (param === undefined) throw new RegistryQueryError('XDSRegistryError', `${slot.name} is not a parameter of stored query ${queryName}`);
    if (slot.values.length === 0) throw new RegistryQueryError('XDSRegistryError', `slot ${slot.name} has no Value`);
    const group = groups.get(slot.name) ?? [];
    if (group.length > 0 && param.andOr !== true) {
      throw new RegistryQueryError('XDSStoredQueryParamNumber', `parameter ${slot.name} may appear in one Slot only (no AND semantics, ITI TF-2 3.18.4.1.2.3.5)`);
    }
    groups.set(slot.name, [...group, slot]);
  }
  return groups;
}

function checkPresence(queryName: string, def: StoredQueryDefinition, groups: SlotGroups): void {
  for (const [name, param] of Object.entries(def.parameters)) {
    if (param.required === true && !groups.has(name)) throw new RegistryQueryError('XDSStoredQueryMissingParam', `required parameter ${name} of ${queryName} is missing`);
  }
  const alternatives = def.exactlyOneOf ?? [];
  const present = alternatives.filter((name) => groups.has(name));
  if (alternatives.length > 0 && present.length === 0) {
    throw new RegistryQueryError('XDSStoredQueryMissingParam', `${queryName} needs one of ${alternatives.join(', ')}`);
  }
  if (present.length > 1) throw new RegistryQueryError('XDSStoredQueryParamNumber', `${queryName} takes only one of ${present.join(', ')}`);
}

function paramsOfKind(def: StoredQueryDefinition, groups: SlotGroups, kind: ParameterDefinition['kind']): [string, ParameterDefinition, readonly RawSlot[]][] {
  return Object.entries(def.parameters)
    .filter(([name, p]) => p.kind === kind && groups.has(name))
    .map(([name, p]) => [name, p, groups.get(name) ?? []]);
}

function firstValues(groups: SlotGroups, def: StoredQueryDefinition, kind: ParameterDefinition['kind']): [string, readonly string[]] | undefined {
  const found = paramsOfKind(def, groups, kind)[0];
  return found === undefined ? undefined : [found[0], found[2][0]?.values ?? []];
}

function readCodes(def: StoredQueryDefinition, groups: SlotGroups): FindDocumentsQuery['codes'] {
  const codes: Partial<Record<CodedField, CodedValue[][]>> = {};
  for (const [name, param, slots] of paramsOfKind(def, groups, 'code')) {
    codes[param.field as CodedField] = slots.map((s) => decodeCodes(name, s.values));
  }
  return codes;
}

function readTimes(def: StoredQueryDefinition, groups: SlotGroups): FindDocumentsQuery['times'] {
  const times: Partial<Record<TimeField, TimeRange>> = {};
  for (const kind of ['timeFrom', 'timeTo'] as const) {
    for (const [name, param, slots] of paramsOfKind(def, groups, kind)) {
      const value = parseTimeParameter(name, singleValue(name, slots[0]?.values ?? []));
      const field = param.field as TimeField;
      times[field] = { ...times[field], ...(kind === 'timeFrom' ? { from: value } : { to: value }) };
    }
  }
  return times;
}

function readFind(def: StoredQueryDefinition, groups: SlotGroups, protocol: XdsRegistryProtocol): FindDocumentsQuery {
  const [patientSlot, patientValues] = firstValues(groups, def, 'patientId') ?? ['', []];
  const [statusSlot, statusValues] = firstValues(groups, def, 'status') ?? ['', []];
  const authors = firstValues(groups, def, 'authorPerson');
  const types = firstValues(groups, def, 'objectType');
  const references = paramsOfKind(def, groups, 'referenceId')[0];
  return {
    kind: 'find',
    nhsNumber: decodePatientId(patientSlot, patientValues, protocol),
    statuses: decodeStatuses(statusSlot, statusValues, protocol),
    codes: readCodes(def, groups),
    times: readTimes(def, groups),
    ...(authors ? { authorPersons: decodeStrings(authors[0], authors[1]) } : {}),
    ...(types ? { objectTypes: decodeObjectTypes(types[0], types[1], protocol) } : {}),
    ...(references ? { referenceIds: references[2].map((s) => decodeStrings(references[0], s.values)) } : {}),
  };
}

function readGet(def: StoredQueryDefinition, groups: SlotGroups): GetDocumentsQuery {
  const uuids = firstValues(groups, def, 'entryUuid');
  const uniqueIds = firstValues(groups, def, 'uniqueId');
  return {
    kind: 'get',
    ...(uuids ? { entryUuids: decodeEntryUuids(uuids[0], uuids[1]) } : {}),
    ...(uniqueIds ? { uniqueIds: decodeStrings(uniqueIds[0], uniqueIds[1]) } : {}),
  };
}

/** Check and decode the slots of stored query `queryName`. Throws RegistryQueryError. */
export function readQueryParameters(queryName: string, def: StoredQueryDefinition, slots: readonly RawSlot[], protocol: XdsRegistryProtocol): Iti38Query {
  const groups = groupSlots(queryName, def, slots);
  checkPresence(queryName, def, groups);
  const isPatientQuery = Object.values(def.parameters).some((p) => p.kind === 'patientId');
  return isPatientQuery ? readFind(def, groups, protocol) : readGet(def, groups);
}
