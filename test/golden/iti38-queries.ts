import { getDocumentsQueries } from '../../src/xca/iti38/get-documents';
import type { Community, StoredQuery } from '../../src/xca/model';
import { storedQueries } from '../../src/mappings/stored-queries';

/**
 * The ITI-38 requests pinned by golden files (test/golden/iti38/) and schema-checked by the conformance suite.
 * Slot values are in ebRS syntax, as search/ hands them over (ITI TF-2 3.18.4.1.2.3.5).
 */

export const GOLDEN_ADDRESSING = {
  to: 'https://gateway-a.example.nhs.uk/xca/iti38?tenant=a&v=1',
  messageId: 'urn:uuid:00000000-0000-4000-8000-00000000a038',
} as const;

export const GOLDEN_COMMUNITY: Community = {
  homeCommunityId: 'urn:oid:1.2.826.0.1.999.1',
  name: 'Community A',
  iti38Url: GOLDEN_ADDRESSING.to,
  timeoutMs: 5000,
  key: 'a',
};

const PATIENT = "'9000000009^^^&2.16.840.1.113883.2.1.4.1&ISO'";
const STATUS = "('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved','urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated')";

function findDocuments(): StoredQuery {
  const table = storedQueries().storedQueries;
  return {
    queryId: table.FindDocuments.id,
    returnType: 'LeafClass',
    homeCommunityId: GOLDEN_COMMUNITY.homeCommunityId,
    slots: [
      { name: '$XDSDocumentEntryPatientId', values: [PATIENT] },
      { name: '$XDSDocumentEntryStatus', values: [STATUS] },
      { name: '$XDSDocumentEntryCreationTimeFrom', values: ['20240101000000'] },
      { name: '$XDSDocumentEntryCreationTimeTo', values: ['20241231235959'] },
      { name: '$XDSDocumentEntryServiceStartTimeFrom', values: ['20240101'] },
      { name: '$XDSDocumentEntryServiceStopTimeTo', values: ['20250101'] },
      { name: '$XDSDocumentEntryClassCode', values: ["('721981007^^2.16.840.1.113883.6.96','4201000179104^^2.16.840.1.113883.6.96')"] },
      { name: '$XDSDocumentEntryTypeCode', values: ["('18748-4^^2.16.840.1.113883.6.1')"] },
      { name: '$XDSDocumentEntryPracticeSettingCode', values: ["('394914008^^2.16.840.1.113883.6.96')"] },
      { name: '$XDSDocumentEntryHealthcareFacilityTypeCode', values: ["('22232009^^2.16.840.1.113883.6.96')"] },
      // Two slots of the same name are an AND; the values inside one slot an OR (ITI TF-2 3.18.4.1.2.3.5).
      { name: '$XDSDocumentEntryEventCodeList', values: ["('CT^^1.2.840.10008.2.16.4')"] },
      { name: '$XDSDocumentEntryEventCodeList', values: ["('77477000^^2.16.840.1.113883.6.96','71388002^^2.16.840.1.113883.6.96')"] },
      { name: '$XDSDocumentEntryConfidentialityCode', values: ["('N^^2.16.840.1.113883.5.25')"] },
      { name: '$XDSDocumentEntryFormatCode', values: ["('1.2.840.10008.5.1.4.1.1.88.59^^1.2.840.10008.2.6.1')"] },
      // An author name with a quote (doubled, ebRS) and characters XML must escape.
      { name: '$XDSDocumentEntryAuthorPerson', values: ["('%O''Brien <Dr> & Co%')"] },
    ],
  };
}

function findDocumentsByReferenceId(): StoredQuery {
  return {
    queryId: storedQueries().storedQueries.FindDocumentsByReferenceId.id,
    returnType: 'LeafClass',
    homeCommunityId: GOLDEN_COMMUNITY.homeCommunityId,
    slots: [
      { name: '$XDSDocumentEntryPatientId', values: [PATIENT] },
      { name: '$XDSDocumentEntryStatus', values: ["('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')"] },
      { name: '$XDSDocumentEntryReferenceIdList', values: ["('1.2.826.0.1.3680043.1.1^^^^urn:ihe:iti:xds:2016:studyInstanceUID')"] },
    ],
  };
}

function getDocuments(): StoredQuery {
  const refs = [{ id: 'urn:uuid:1b0c0000-0000-4000-8000-000000000001' }, { id: 'urn:uuid:1b0c0000-0000-4000-8000-000000000002' }];
  const [query] = getDocumentsQueries(GOLDEN_COMMUNITY, refs);
  if (!query) throw new Error('GetDocuments produced no query');
  return query;
}

/** Golden file name → the query it pins. */
export function goldenQueries(): Record<string, StoredQuery> {
  return {
    'find-documents.xml': findDocuments(),
    'find-documents-by-reference-id.xml': findDocumentsByReferenceId(),
    'get-documents.xml': getDocuments(),
  };
}
