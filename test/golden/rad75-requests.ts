import { offeredTransferSyntaxUids } from '../../src/interactions/imaging/imaging-table';
import type { Rad75Request } from '../../src/xca/rad75';

/**
 * The RAD-75 requests pinned by golden files (test/golden/rad75/) and schema-checked by the conformance suite.
 * Ids as a KOS gives them: study, series and SOP Instance UIDs; the repository is the Retrieve Location UID.
 */

export const GOLDEN_RAD75_ADDRESSING = {
  to: 'https://imaging-gateway-b.example.nhs.uk/xca/rad75?tenant=b&v=1',
  messageId: 'urn:uuid:00000000-0000-4000-8000-00000000b075',
} as const;

const STUDY = '1.2.826.0.1.3680043.10.543.20240611.1';
const REPOSITORY = '1.2.826.0.1.999.2.20';

/** Golden file name → request. */
export function goldenImagingRequests(): Record<string, Rad75Request> {
  return {
    'study-two-series.xml': {
      homeCommunityId: 'urn:oid:1.2.826.0.1.999.2',
      studyInstanceUid: STUDY,
      series: [1, 2].map((s) => ({
        seriesInstanceUid: `${STUDY}.${s}`,
        instances: [1, 2, 3].map((i) => ({ sopInstanceUid: `${STUDY}.${s}.${i}`, repositoryUniqueId: s === 2 && i === 3 ? '1.2.826.0.1.999.2.21' : REPOSITORY })),
      })),
      transferSyntaxUids: offeredTransferSyntaxUids(),
    },
    'single-instance-explicit-le.xml': {
      homeCommunityId: 'urn:oid:1.2.826.0.1.999.2',
      studyInstanceUid: STUDY,
      series: [{ seriesInstanceUid: `${STUDY}.1`, instances: [{ sopInstanceUid: `${STUDY}.1.1`, repositoryUniqueId: REPOSITORY }] }],
      transferSyntaxUids: ['1.2.840.10008.1.2.1'],
    },
  };
}
