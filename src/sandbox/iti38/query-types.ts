import type { CodedField, TimeField } from '../protocol';
import type { CodedValue } from './slot-values';

/**
 * A stored query as the sandbox executes it, after its slots were checked and decoded (params.ts). Multi-slot
 * parameters with AND semantics are lists of OR-lists: every inner list must match (ITI TF-2 3.18.4.1.2.3.5).
 */
export interface RawSlot {
  readonly name: string;
  readonly values: readonly string[];
}

export interface TimeRange {
  readonly from?: string;
  readonly to?: string;
}

export interface FindDocumentsQuery {
  readonly kind: 'find';
  /** The NHS number when the CX names the NHS number assigning authority, else undefined (an unknown patient). */
  readonly nhsNumber: string | undefined;
  readonly statuses: readonly string[];
  /** AND of OR-lists, per coded attribute. */
  readonly codes: Readonly<Partial<Record<CodedField, readonly (readonly CodedValue[])[]>>>;
  readonly times: Readonly<Partial<Record<TimeField, TimeRange>>>;
  /** OR-list of SQL LIKE patterns over authorPerson. */
  readonly authorPersons?: readonly string[];
  /** DocumentEntry types; stable only when absent (ITI TF-2 3.18.4.1.2.3.7.1). */
  readonly objectTypes?: readonly string[];
  /** AND of OR-lists of CXi values (FindDocumentsByReferenceId). */
  readonly referenceIds?: readonly (readonly string[])[];
}

export interface GetDocumentsQuery {
  readonly kind: 'get';
  readonly entryUuids?: readonly string[];
  readonly uniqueIds?: readonly string[];
}

export type Iti38Query = FindDocumentsQuery | GetDocumentsQuery;
