import type { XdsRegistryProtocol } from '../protocol';
import { RegistryQueryError } from './registry-error';
import { parseCodedValue, parseListSlot, parseQuotedString, singleValue, type CodedValue } from './slot-values';

/**
 * Decoders for each kind of stored query parameter (ITI TF-2 3.18.4.1.2.3.7.1, .5, .14). Each takes the Value
 * strings of one Slot and returns the decoded value or throws a RegistryQueryError naming the slot.
 */
const CX_PATIENT_ID = /^([^^&]+)\^\^\^&([0-2](?:\.(?:0|[1-9][0-9]*))+)&ISO$/;
const UUID_URN = /^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * $XDSDocumentEntryPatientId: one quoted CX `id^^^&oid&ISO` (ITI TF-3 4.2.3.2.16). Returns the NHS number, or
 * undefined when the assigning authority is not the NHS number's, which this registry treats as an unknown
 * patient (XDSUnknownPatientId), as a registry of another affinity domain would.
 */
export function decodePatientId(slot: string, values: readonly string[], protocol: XdsRegistryProtocol): string | undefined {
  const cx = parseQuotedString(slot, singleValue(slot, values));
  const match = CX_PATIENT_ID.exec(cx);
  if (match === null) throw new RegistryQueryError('XDSRegistryError', `slot ${slot}: ${JSON.stringify(cx)} is not a CX patient id id^^^&OID&ISO`);
  return match[2] === protocol.patientIdAssigningAuthority ? match[1] : undefined;
}

/** $XDSDocumentEntryStatus: a list of availability status URNs a DocumentEntry can have. */
export function decodeStatuses(slot: string, values: readonly string[], protocol: XdsRegistryProtocol): string[] {
  const known = [protocol.status.approved, protocol.status.deprecated];
  const statuses = parseListSlot(slot, values);
  const bad = statuses.find((s) => !known.includes(s));
  if (bad !== undefined) throw new RegistryQueryError('XDSRegistryError', `slot ${slot}: ${JSON.stringify(bad)} is not a DocumentEntry availability status (${known.join(', ')})`);
  return statuses;
}

/** A coded parameter: OR-list of code^^scheme. */
export function decodeCodes(slot: string, values: readonly string[]): CodedValue[] {
  return parseListSlot(slot, values).map((v) => parseCodedValue(slot, v));
}

/** $XDSDocumentEntryType: OR-list of DocumentEntry type UUIDs (stable, on-demand). */
export function decodeObjectTypes(slot: string, values: readonly string[], protocol: XdsRegistryProtocol): string[] {
  const known = [protocol.documentEntry.objectTypes.stable, protocol.documentEntry.objectTypes.onDemand];
  const types = parseListSlot(slot, values);
  const bad = types.find((t) => !known.includes(t));
  if (bad !== undefined) throw new RegistryQueryError('XDSRegistryError', `slot ${slot}: ${JSON.stringify(bad)} is not a DocumentEntry type`);
  return types;
}

/** $XDSDocumentEntryEntryUUID: OR-list of `urn:uuid:` values. */
export function decodeEntryUuids(slot: string, values: readonly string[]): string[] {
  const uuids = parseListSlot(slot, values);
  const bad = uuids.find((u) => !UUID_URN.test(u));
  if (bad !== undefined) throw new RegistryQueryError('XDSRegistryError', `slot ${slot}: ${JSON.stringify(bad)} is not a urn:uuid entryUUID`);
  return uuids;
}

/** A list of non-empty strings (uniqueIds, referenceIds, author patterns). */
export function decodeStrings(slot: string, values: readonly string[]): string[] {
  const items = parseListSlot(slot, values);
  if (items.some((i) => i.trim() === '')) throw new RegistryQueryError('XDSRegistryError', `slot ${slot}: empty value in list`);
  return items;
}
