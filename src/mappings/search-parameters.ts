import { loadMappingTable } from './load';
import type { StoredQueryName } from './stored-queries';

/** One ITI-67 search parameter rule of mappings/search-parameters.json. */
export interface SearchParameterRule {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly type: 'token' | 'date' | 'string';
  readonly slot?: string;
  readonly range?: { readonly from: string; readonly to: string };
  readonly encoding?: 'string-list' | 'coded-list' | 'like' | 'reference-id';
  readonly valueMap?: Readonly<Record<string, string>>;
  readonly default?: readonly string[];
  readonly pattern?: string;
  readonly storedQuery?: Exclude<StoredQueryName, 'GetDocuments'>;
  readonly referenceIdTemplates?: Readonly<Record<string, string>>;
  /** The slot is a multi-valued XDS attribute: the parameter may repeat (AND). */
  readonly repeatable?: boolean;
  /** System assumed for a token written without one (`code` alone). */
  readonly defaultSystem?: string;
  readonly documentation: string;
}

/** Parameters that share one single-occurrence slot and, given together, make one value. */
export interface SearchParameterCombination {
  readonly parameters: readonly string[];
  readonly slot: string;
  readonly pattern: string;
}

export interface SearchParametersTable {
  readonly resourceType: 'DocumentReference';
  readonly patient: { readonly parameters: readonly string[]; readonly system: string; readonly slot: string };
  readonly defaultStoredQuery: Exclude<StoredQueryName, 'GetDocuments'>;
  readonly combinations: readonly SearchParameterCombination[];
  readonly parameters: readonly SearchParameterRule[];
  readonly resultParameters: { readonly accepted: readonly string[] };
}

let table: SearchParametersTable | undefined;

/** The validated ITI-67 search parameter table (loaded once). */
export function searchParameters(): SearchParametersTable {
  table ??= loadMappingTable<SearchParametersTable>('search-parameters');
  return table;
}

/** Find the rule for a parameter name or alias (exact match, modifiers included). */
export function findRule(name: string): SearchParameterRule | undefined {
  return searchParameters().parameters.find((rule) => rule.name === name || (rule.aliases ?? []).includes(name));
}
