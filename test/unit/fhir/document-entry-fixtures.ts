import { createHash } from 'node:crypto';
import { communityKey } from '../../../src/fhir/ids';
import type { Community, RimClassification, RimExtrinsicObject, RimSlot } from '../../../src/xca/model';

/**
 * Hand-written XDS DocumentEntries (ebRIM ExtrinsicObjects as src/xca parses them) for the mapping tests:
 * a PDF imaging report and a DICOM KOS manifest with Study Instance UID and accession number.
 * Scheme UUIDs are those of ITI TF-3 4.2.5; codes and OIDs are test data.
 */

export const NHS_NUMBER = '9000000009';
export const NHS_OID = '2.16.840.1.113883.2.1.4.1';
export const ODS_OID = '2.16.840.1.113883.2.1.4.3';
export const HOME = 'urn:oid:1.2.826.0.1285.0.2.0.1';
export const BASE_URL = 'http://localhost:8080/fhir';

export const SCHEME = {
  author: 'urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d',
  classCode: 'urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a',
  confidentiality: 'urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f',
  event: 'urn:uuid:2c6b8cb7-8b2a-4051-b291-b1ae6a575ef4',
  format: 'urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d',
  facility: 'urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1',
  practice: 'urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead',
  type: 'urn:uuid:f0306f51-975f-434e-a61c-c59651d33983',
  patientId: 'urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427',
  uniqueId: 'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab',
} as const;

export const APPROVED = 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved';
export const DEPRECATED = 'urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated';

export const COMMUNITY: Community = {
  homeCommunityId: HOME,
  name: 'Test community',
  iti38Url: 'https://gateway.test/iti38',
  timeoutMs: 5000,
  key: communityKey(HOME),
};

export const REPORT_HASH_HEX = createHash('sha1').update('report bytes').digest('hex');

export function slot(name: string, ...values: string[]): RimSlot {
  return { name, values };
}

export function code(scheme: string, value: string, codingScheme: string, display?: string): RimClassification {
  return { classificationScheme: scheme, nodeRepresentation: value, ...(display ? { name: display } : {}), slots: [slot('codingScheme', codingScheme)] };
}

/** A radiology report as a PDF, with every DocumentEntry attribute MHD Minimal maps. */
export function pdfReport(): RimExtrinsicObject {
  return {
    id: 'urn:uuid:6b3e2a1c-0d4f-4e5a-9b7c-1a2b3c4d5e6f',
    home: HOME,
    mimeType: 'application/pdf',
    status: APPROVED,
    objectType: 'urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1',
    name: 'CT head report',
    description: 'Final report',
    slots: [
      slot('creationTime', '20240115103000'),
      slot('hash', REPORT_HASH_HEX),
      slot('size', '12345'),
      slot('languageCode', 'en-gb'),
      slot('repositoryUniqueId', '1.2.826.0.1285.0.2.0.9.1'),
      slot('serviceStartTime', '202401150900'),
      slot('serviceStopTime', '20240115'),
      slot('sourcePatientId', 'RR8-123456^^^&1.2.826.0.1285.0.2.0.5&ISO'),
      slot(
        'sourcePatientInfo',
        `PID-3|${NHS_NUMBER}^^^&${NHS_OID}&ISO`,
        'PID-5|Smith^Jane^Anne^^Mrs',
        'PID-7|19700101',
        'PID-8|F',
        'PID-11|1 High Street^^Leeds^^LS1 1AA^GBR',
      ),
      slot('legalAuthenticator', 'C1234567^Jones^Sam^^^Dr^^^&2.16.840.1.113883.2.1.3.2.4.16.1&ISO'),
    ],
    classifications: [
      {
        classificationScheme: SCHEME.author,
        nodeRepresentation: '',
        slots: [slot('authorPerson', '^Welby^Marcus^^^Dr'), slot('authorInstitution', `Leeds Teaching Hospitals^^^^^&${ODS_OID}&ISO^^^^RR8`)],
      },
      code(SCHEME.classCode, '4201000179104', '2.16.840.1.113883.6.96', 'Imaging report'),
      code(SCHEME.type, '18748-4', '2.16.840.1.113883.6.1', 'Diagnostic imaging study'),
      code(SCHEME.confidentiality, 'N', '2.16.840.1.113883.5.25', 'Normal'),
      code(SCHEME.format, 'urn:ihe:iti:xds:2017:mimeTypeSufficient', '1.3.6.1.4.1.19376.1.2.3', 'mimeType Sufficient'),
      code(SCHEME.facility, '22232009', '2.16.840.1.113883.6.96', 'Hospital'),
      code(SCHEME.practice, '394914008', '2.16.840.1.113883.6.96', 'Radiology'),
      code(SCHEME.event, '77477000', '2.16.840.1.113883.6.96', 'CT'),
    ],
    externalIdentifiers: [
      { identificationScheme: SCHEME.patientId, value: `${NHS_NUMBER}^^^&${NHS_OID}&ISO` },
      { identificationScheme: SCHEME.uniqueId, value: '1.2.826.0.1285.0.2.0.9.2.1234' },
    ],
  };
}

export const STUDY_UID = '1.2.826.0.1.3680043.8.498.12345678901234567890';
export const KOS_UID = '1.2.826.0.1.3680043.8.498.98765432109876543210';

/** An XDS-I.b KOS manifest: DICOM format code, modality in eventCodeList, study UID + accession in referenceIdList. */
export function kosManifest(): RimExtrinsicObject {
  return {
    id: 'urn:uuid:0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
    home: HOME,
    mimeType: 'application/dicom',
    status: APPROVED,
    name: 'CT head study',
    slots: [
      slot('creationTime', '20240115094512'),
      slot('languageCode', 'en-GB'),
      slot('repositoryUniqueId', '1.2.826.0.1285.0.2.0.9.1'),
      slot('serviceStartTime', '20240115091000'),
      slot(
        'urn:ihe:iti:xds:2013:referenceIdList',
        `${STUDY_UID}^^^^urn:ihe:iti:xds:2016:studyInstanceUID`,
        'ACC0001^^^&1.2.826.0.1285.0.2.0.7&ISO^urn:ihe:iti:xds:2013:accession',
      ),
    ],
    classifications: [
      code(SCHEME.classCode, '721981007', '2.16.840.1.113883.6.96', 'Diagnostic studies report'),
      code(SCHEME.type, '18748-4', '2.16.840.1.113883.6.1', 'Diagnostic imaging study'),
      code(SCHEME.format, '1.2.840.10008.5.1.4.1.1.88.59', '1.2.840.10008.2.6.1', 'Key Object Selection Document'),
      code(SCHEME.event, 'CT', '1.2.840.10008.2.16.4', 'Computed Tomography'),
      code(SCHEME.event, '69536005', '2.16.840.1.113883.6.96', 'Head'),
      code(SCHEME.facility, '22232009', '2.16.840.1.113883.6.96', 'Hospital'),
      code(SCHEME.practice, '394914008', '2.16.840.1.113883.6.96', 'Radiology'),
    ],
    externalIdentifiers: [
      { identificationScheme: SCHEME.patientId, value: `${NHS_NUMBER}^^^&${NHS_OID}&ISO` },
      { identificationScheme: SCHEME.uniqueId, value: KOS_UID },
    ],
  };
}

/** A copy of an entry with some fields replaced (slots/classifications/ids replaced by name or scheme). */
export function withSlot(entry: RimExtrinsicObject, name: string, ...values: string[]): RimExtrinsicObject {
  const others = entry.slots.filter((s) => s.name !== name);
  return { ...entry, slots: values.length > 0 ? [...others, slot(name, ...values)] : others };
}

export function withExternalId(entry: RimExtrinsicObject, scheme: string, value?: string): RimExtrinsicObject {
  const others = entry.externalIdentifiers.filter((x) => x.identificationScheme !== scheme);
  return { ...entry, externalIdentifiers: value === undefined ? others : [...others, { identificationScheme: scheme, value }] };
}
