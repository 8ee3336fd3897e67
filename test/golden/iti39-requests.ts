import type { Iti39Request } from '../../src/xca/iti39';

/**
 * The ITI-39 requests pinned by golden files (test/golden/iti39/) and schema-checked by the conformance suite.
 * Ids as an ITI-38 answer gives them: homeCommunityId as `urn:oid:`, repository and document ids bare OIDs.
 */

export const GOLDEN_ITI39_ADDRESSING = {
  to: 'https://gateway-a.example.nhs.uk/xca/iti39?tenant=a&v=1',
  messageId: 'urn:uuid:00000000-0000-4000-8000-00000000a039',
} as const;

/** Golden file name → request. */
export function goldenRetrieveRequests(): Record<string, Iti39Request> {
  return {
    'cross-gateway-retrieve.xml': {
      homeCommunityId: 'urn:oid:1.2.826.0.1.999.1',
      repositoryUniqueId: '1.2.826.0.1.999.1.20',
      documentUniqueId: '1.2.826.0.1.999.1.30.4711',
    },
  };
}
