import type { CodedField, TimeField, XdsRegistryProtocol } from '../protocol';
import type { SandboxDocument, SeedCode } from '../seed-types';
import { dtmAtOrAfter, dtmBefore } from './dtm';
import type { FindDocumentsQuery } from './query-types';
import type { CodedValue } from './slot-values';

/**
 * FindDocuments / FindDocumentsByReferenceId matching (ITI TF-2 3.18.4.1.2.3.7.1 and .14) over one patient's
 * DocumentEntries. Within a parameter the values are ORed; several Slots of an AND/OR parameter are ANDed;
 * different parameters are ANDed. Codes match on code and coding scheme, exactly.
 */
export function codesOf(doc: SandboxDocument, field: CodedField): readonly SeedCode[] {
  const value = doc[field];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value as SeedCode];
}

function codeMatches(docCodes: readonly SeedCode[], wanted: readonly CodedValue[]): boolean {
  return wanted.some((w) => docCodes.some((c) => c.code === w.code && c.scheme === w.scheme));
}

function codesMatch(doc: SandboxDocument, codes: FindDocumentsQuery['codes']): boolean {
  return Object.entries(codes).every(([field, andGroups]) => {
    const docCodes = codesOf(doc, field as CodedField);
    return (andGroups ?? []).every((orList) => codeMatches(docCodes, orList));
  });
}

function timesMatch(doc: SandboxDocument, times: FindDocumentsQuery['times']): boolean {
  return Object.entries(times).every(([field, range]) => {
    const value = doc[field as TimeField];
    if (range?.from !== undefined && !dtmAtOrAfter(value, range.from)) return false;
    if (range?.to !== undefined && !dtmBefore(value, range.to)) return false;
    return true;
  });
}

/**
 * SQL LIKE as ITI TF-2 3.18.4.1.2.3.7.1 allows for $XDSDocumentEntryAuthorPerson: `%` any run of characters,
 * `_` any one character, everything else literal and case-sensitive (SQL's LIKE; no escape character).
 */
export function like(pattern: string, value: string): boolean {
  const source = [...pattern].map((ch) => (ch === '%' ? '[\\s\\S]*' : ch === '_' ? '[\\s\\S]' : ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 'u').test(value);
}

function authorsMatch(doc: SandboxDocument, patterns: readonly string[] | undefined): boolean {
  if (patterns === undefined) return true;
  const persons = doc.authors.map((a) => a.person).filter((p): p is string => p !== undefined);
  return patterns.some((pattern) => persons.some((person) => like(pattern, person)));
}

function referencesMatch(doc: SandboxDocument, groups: FindDocumentsQuery['referenceIds']): boolean {
  if (groups === undefined) return true;
  const refs = doc.referenceIdList ?? [];
  return groups.every((orList) => orList.some((r) => refs.includes(r)));
}

/** True when the DocumentEntry satisfies every parameter of the query (the patient is matched by the caller). */
export function matchesFindQuery(doc: SandboxDocument, query: FindDocumentsQuery, protocol: XdsRegistryProtocol): boolean {
  const objectTypes = query.objectTypes ?? [protocol.documentEntry.objectTypes.stable];
  return (
    query.statuses.includes(doc.availabilityStatus) &&
    objectTypes.includes(doc.objectType ?? protocol.documentEntry.objectTypes.stable) &&
    codesMatch(doc, query.codes) &&
    timesMatch(doc, query.times) &&
    authorsMatch(doc, query.authorPersons) &&
    referencesMatch(doc, query.referenceIds)
  );
}
