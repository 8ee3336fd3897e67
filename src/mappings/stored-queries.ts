import { loadMappingTable } from './load';

/** One stored query of mappings/stored-queries.json. */
export interface StoredQueryDefinition {
  readonly id: string;
  readonly patientSlot?: string;
  readonly entryUuidSlot?: string;
  readonly uniqueIdSlot?: string;
  readonly requiredSlots: readonly string[];
  readonly maxIdsPerQuery?: number;
}

export type StoredQueryName = 'FindDocuments' | 'FindDocumentsByReferenceId' | 'GetDocuments';

export interface StoredQueriesTable {
  readonly storedQueries: Readonly<Record<StoredQueryName, StoredQueryDefinition>>;
  readonly patientId: { readonly defaultAssigningAuthority: string };
}

let table: StoredQueriesTable | undefined;

/** The validated stored-queries table (loaded once). */
export function storedQueries(): StoredQueriesTable {
  table ??= loadMappingTable<StoredQueriesTable>('stored-queries');
  return table;
}
