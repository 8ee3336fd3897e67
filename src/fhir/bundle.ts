import { randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry, BundleLink, DocumentReference, OperationOutcome } from 'fhir/r4';

/** IHE MHD Find Document References Response Message (ITI-67). */
export const MHD_FIND_RESPONSE_PROFILE = 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/IHE.MHD.FindDocumentReferencesResponseMessage';

/** A searchset Bundle: matches first (with fullUrl), then an optional outcome entry (search.mode = outcome). */
export function searchsetBundle(options: {
  baseUrl: string;
  matches: readonly DocumentReference[];
  total: number;
  links: readonly BundleLink[];
  outcome?: OperationOutcome;
  /** The Bundle id: a cached search's own id, so every page of one result says it is the same result. */
  id?: string;
  /** When the result was obtained from the communities (a cached result is as old as its search). */
  lastUpdated?: string;
}): Bundle<DocumentReference | OperationOutcome> {
  const entry: Array<BundleEntry<DocumentReference | OperationOutcome>> = options.matches.map((resource) => ({
    fullUrl: `${options.baseUrl}/DocumentReference/${resource.id ?? ''}`,
    resource,
    search: { mode: 'match' },
  }));
  if (options.outcome) {
    entry.push({ fullUrl: `urn:uuid:${randomUUID()}`, resource: options.outcome, search: { mode: 'outcome' } });
  }
  return {
    resourceType: 'Bundle',
    id: options.id ?? randomUUID(),
    meta: { lastUpdated: options.lastUpdated ?? new Date().toISOString(), profile: [MHD_FIND_RESPONSE_PROFILE] },
    type: 'searchset',
    total: options.total,
    link: [...options.links],
    // FHIR JSON has no empty arrays: an empty searchset has no `entry` at all.
    ...(entry.length > 0 ? { entry } : {}),
  };
}
