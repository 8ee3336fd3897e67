import type { DocumentReference, OperationOutcomeIssue } from 'fhir/r4';
import type { Iti67Search } from '../search/iti67-search';
import type { Community } from '../xca/model';

/** Cache namespace of search results. */
export const SEARCH_NAMESPACE = 'search';

/** What one search leaves in the cache: the merged documents and every community's outcome. */
export interface CachedSearch {
  /** This result's own id (the Bundle id of each of its pages; cursors name it). */
  readonly id: string;
  /** When the communities answered (each page's meta.lastUpdated). */
  readonly at: string;
  /** Epoch ms at which the cache entry expires (rendered pages never outlive it). */
  readonly expiresAt: number;
  readonly documents: DocumentReference[];
  readonly issues: OperationOutcomeIssue[];
}

/**
 * The cache key material of a search: the normalised query (patient, stored query, every slot), the set of
 * communities asked and the caller's access context. It names the patient, so it only ever leaves the service
 * HMAC'd (cache key names) or sealed (paging cursors). Built and read here only.
 */
interface SearchKeyMaterial {
  /** Version of the cached value's shape: a new shape must not read entries written by an older release. */
  readonly v: 2;
  readonly search: { readonly p: string; readonly q: string; readonly s: Iti67Search['slots'] };
  readonly c: readonly string[];
  readonly x: string;
}

/** The key material of `search` asked of `communities` in `accessContext`. */
export function searchKeyOf(search: Iti67Search, communities: readonly Community[], accessContext: string): string {
  const material: SearchKeyMaterial = {
    v: 2,
    search: { p: search.nhsNumber, q: search.storedQuery, s: search.slots },
    c: communities.map((c) => c.homeCommunityId).sort(),
    x: accessContext,
  };
  return JSON.stringify(material);
}

/** The NHS number a search key names (for the audit of a page served from a cursor); undefined if it names none. */
export function patientOfSearchKey(key: string): string | undefined {
  try {
    const p = (JSON.parse(key) as Partial<SearchKeyMaterial> | null)?.search?.p;
    return typeof p === 'string' ? p : undefined;
  } catch {
    return undefined;
  }
}
