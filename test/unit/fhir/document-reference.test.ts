import type { DocumentReference } from 'fhir/r4';
import { toDocumentReference, type DocumentReferenceContext } from '../../../src/fhir/document-reference';
import { binaryId, parseBinaryId } from '../../../src/fhir/ids';
import { validateResource } from '../../../src/fhir/profile-validator';
import type { RimExtrinsicObject } from '../../../src/xca/model';
import {
  BASE_URL,
  COMMUNITY,
  DEPRECATED,
  HOME,
  KOS_UID,
  NHS_NUMBER,
  NHS_OID,
  REPORT_HASH_HEX,
  SCHEME,
  STUDY_UID,
  kosManifest,
  pdfReport,
  withExternalId,
  withSlot,
} from './document-entry-fixtures';

const CTX: DocumentReferenceContext = { community: COMMUNITY, nhsNumber: NHS_NUMBER, baseUrl: BASE_URL };
const MHD_MINIMAL = 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/IHE.MHD.Minimal.DocumentReference';
const UK_CORE = 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-DocumentReference';
const MADO_KOS = 'https://profiles.ihe.net/RAD/MADO/StructureDefinition/MadoDicomKosDocumentReference';
const SNOMED = 'http://snomed.info/sct';

function mapped(entry: RimExtrinsicObject, ctx: DocumentReferenceContext = CTX): DocumentReference {
  const result = toDocumentReference(entry, ctx);
  if (!result.ok) throw new Error(`expected a mapping, got: ${result.reason}`);
  expect(validateResource(result.resource, 'DocumentReference')).toEqual({ valid: true, errors: [] });
  return result.resource;
}

function reasonFor(entry: RimExtrinsicObject, ctx: DocumentReferenceContext = CTX): string {
  const result = toDocumentReference(entry, ctx);
  if (result.ok) throw new Error('expected the entry to be left out');
  expect(result.reason).not.toMatch(/\d{10}/); // reasons are logged: never an NHS number
  return result.reason;
}

const snomed = (code: string, display: string) => ({ coding: [{ system: SNOMED, code, display }] });

describe('toDocumentReference: a PDF imaging report', () => {
  it('maps every DocumentEntry attribute per MHD Minimal + UK Core', () => {
    const binary = binaryId({ communityKey: COMMUNITY.key, repositoryUniqueId: '1.2.826.0.1285.0.2.0.9.1', documentUniqueId: '1.2.826.0.1285.0.2.0.9.2.1234' });
    expect(mapped(pdfReport())).toEqual({
      resourceType: 'DocumentReference',
      id: `${COMMUNITY.key}-6b3e2a1c0d4f4e5a9b7c1a2b3c4d5e6f`,
      meta: { profile: [MHD_MINIMAL, UK_CORE] },
      contained: [
        { resourceType: 'Practitioner', id: 'practitioner-1', name: [{ family: 'Welby', given: ['Marcus'], prefix: ['Dr'] }] },
        {
          resourceType: 'Organization',
          id: 'organization-1',
          identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'RR8' }],
          name: 'Leeds Teaching Hospitals',
        },
        {
          resourceType: 'Practitioner',
          id: 'practitioner-2',
          identifier: [{ system: 'urn:oid:2.16.840.1.113883.2.1.3.2.4.16.1', value: 'C1234567' }],
          name: [{ family: 'Jones', given: ['Sam'], prefix: ['Dr'] }],
        },
        {
          resourceType: 'Patient',
          id: 'patient-1',
          identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: NHS_NUMBER }],
          name: [{ family: 'Smith', given: ['Jane', 'Anne'], prefix: ['Mrs'] }],
          gender: 'female',
          birthDate: '1970-01-01',
          address: [{ line: ['1 High Street'], city: 'Leeds', postalCode: 'LS1 1AA', country: 'GBR' }],
        },
      ],
      extension: [{ url: 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-HomeCommunityId', valueUri: HOME }],
      masterIdentifier: { use: 'usual', system: 'urn:ietf:rfc:3986', value: 'urn:oid:1.2.826.0.1285.0.2.0.9.2.1234' },
      identifier: [{ use: 'official', system: 'urn:ietf:rfc:3986', value: 'urn:uuid:6b3e2a1c-0d4f-4e5a-9b7c-1a2b3c4d5e6f' }],
      status: 'current',
      type: { coding: [{ system: 'http://loinc.org', code: '18748-4', display: 'Diagnostic imaging study' }] },
      category: [snomed('4201000179104', 'Imaging report')],
      subject: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: NHS_NUMBER } },
      date: '2024-01-15T10:30:00Z',
      author: [{ reference: '#practitioner-1' }, { reference: '#organization-1' }],
      authenticator: { reference: '#practitioner-2' },
      description: 'Final report',
      securityLabel: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'N', display: 'Normal' }] }],
      content: [
        {
          attachment: {
            contentType: 'application/pdf',
            language: 'en-GB',
            url: `${BASE_URL}/Binary/${binary ?? 'missing'}`,
            size: 12345,
            hash: Buffer.from(REPORT_HASH_HEX, 'hex').toString('base64'),
            title: 'CT head report',
            creation: '2024-01-15T10:30:00Z',
          },
          format: { system: 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode', code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient', display: 'mimeType Sufficient' },
        },
      ],
      context: {
        event: [snomed('77477000', 'CT')],
        period: { start: '2024-01-15T09:00:00Z', end: '2024-01-15' },
        facilityType: snomed('22232009', 'Hospital'),
        practiceSetting: snomed('394914008', 'Radiology'),
        sourcePatientInfo: { reference: '#patient-1', identifier: { system: 'urn:oid:1.2.826.0.1285.0.2.0.5', value: 'RR8-123456' } },
      },
    });
  });

  it('puts a Binary URL whose id routes straight to the repository and document', () => {
    const url = mapped(pdfReport()).content[0]?.attachment.url ?? '';
    const id = url.slice(`${BASE_URL}/Binary/`.length);
    expect(parseBinaryId(id)).toEqual({
      kind: 'direct',
      communityKey: COMMUNITY.key,
      repositoryUniqueId: '1.2.826.0.1285.0.2.0.9.1',
      documentUniqueId: '1.2.826.0.1285.0.2.0.9.2.1234',
    });
  });

  it('falls back to the DocumentReference id when the ids cannot be packed', () => {
    const doc = mapped(withSlot(pdfReport(), 'repositoryUniqueId', 'urn:oid:1.2.3'));
    expect(doc.content[0]?.attachment.url).toBe(`${BASE_URL}/Binary/${doc.id ?? ''}`);
    expect(parseBinaryId(doc.id ?? '')).toMatchObject({ kind: 'entry', entryUUID: pdfReport().id });
  });

  it('maps Deprecated to superseded', () => {
    expect(mapped({ ...pdfReport(), status: DEPRECATED }).status).toBe('superseded');
  });

  it('takes the home community from the context when the object has no home', () => {
    const { home: _home, ...entry } = pdfReport();
    const other = { ...COMMUNITY, homeCommunityId: 'urn:oid:1.2.3.999' };
    expect(mapped(entry, { ...CTX, community: other }).extension).toEqual([
      { url: 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-HomeCommunityId', valueUri: 'urn:oid:1.2.3.999' },
    ]);
  });

  it('keeps both parts of a uniqueId written OID^extension', () => {
    const doc = mapped(withExternalId(pdfReport(), SCHEME.uniqueId, '1.2.826.0.1285.0.2.0.9.2^DOC-77'));
    expect(doc.masterIdentifier).toEqual({ use: 'usual', system: 'urn:oid:1.2.826.0.1285.0.2.0.9.2', value: 'DOC-77' });
    expect(doc.content[0]?.attachment.url).toBe(`${BASE_URL}/Binary/${doc.id ?? ''}`);
  });

  it('keeps a uniqueId that is neither OID nor URI as a bare value, with a warning', () => {
    const result = toDocumentReference(withExternalId(pdfReport(), SCHEME.uniqueId, '123456789'), CTX);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.resource.masterIdentifier).toEqual({ use: 'usual', value: '123456789' });
    expect(result.warnings).toEqual(['DocumentEntry.uniqueId is neither an OID, OID^extension nor a URI: identifier given without a system']);
    expect(result.resource.content[0]?.attachment.url).toBe(`${BASE_URL}/Binary/${result.resource.id ?? ''}`);
  });

  it('maps an entry sent with a bare UUID as its id (seen from real responders)', () => {
    const doc = mapped({ ...pdfReport(), id: '018e81dd-ddaf-7d7c-b02c-d8a145ebb0c8' });
    expect(doc.id).toBe(`${COMMUNITY.key}-u018e81ddddaf7d7cb02cd8a145ebb0c8`);
    expect(doc.identifier?.[0]?.value).toBe('018e81dd-ddaf-7d7c-b02c-d8a145ebb0c8');
  });

  it('keeps a date-only creationTime as a date and leaves date (an instant) out', () => {
    const doc = mapped(withSlot(pdfReport(), 'creationTime', '20240115'));
    expect(doc.content[0]?.attachment.creation).toBe('2024-01-15');
    expect(doc.date).toBeUndefined();
  });

  it('drops optional values it cannot read, with warnings naming the attribute only', () => {
    let entry = withSlot(pdfReport(), 'hash', 'not-a-sha1');
    entry = withSlot(entry, 'size', '-3');
    entry = withSlot(entry, 'creationTime', '2024-13-45');
    const result = toDocumentReference(entry, CTX);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.resource.content[0]?.attachment).not.toHaveProperty('hash');
    expect(result.resource.content[0]?.attachment).not.toHaveProperty('size');
    expect(result.warnings).toEqual(
      expect.arrayContaining([
        'DocumentEntry.hash could not be mapped to content[0].attachment.hash',
        'DocumentEntry.size could not be mapped to content[0].attachment.size',
        'DocumentEntry.creationTime could not be mapped to date',
      ]),
    );
    expect(validateResource(result.resource, 'DocumentReference').valid).toBe(true);
  });

  it('carries an entryUUID that is not a UUID in a hex id', () => {
    expect(mapped({ ...pdfReport(), id: 'Doc-42' }).id).toBe(`${COMMUNITY.key}-x${Buffer.from('Doc-42').toString('hex')}`);
  });
});

describe('toDocumentReference: a DICOM KOS manifest', () => {
  const kos = () => mapped(kosManifest());

  it('claims the MADO KOS profile besides MHD Minimal and UK Core', () => {
    expect(kos().meta?.profile).toEqual([MHD_MINIMAL, UK_CORE, MADO_KOS]);
  });

  it('keeps the KOS SOP Instance UID as masterIdentifier, and repeats it as an identifier (mado-docref-1)', () => {
    const doc = kos();
    const master = { use: 'usual', system: 'urn:ietf:rfc:3986', value: `urn:oid:${KOS_UID}` };
    expect(doc.masterIdentifier).toEqual(master);
    expect(doc.identifier).toContainEqual(master);
  });

  it('maps referenceIdList to context.related: study UID as urn:dicom:uid, accession with its issuer', () => {
    expect(kos().context?.related).toEqual([
      {
        identifier: {
          type: { coding: [{ system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110180', display: 'Study Instance UID' }] },
          system: 'urn:dicom:uid',
          value: `urn:oid:${STUDY_UID}`,
        },
      },
      {
        type: 'ServiceRequest',
        identifier: {
          type: {
            coding: [
              { system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'ACSN', display: 'Accession ID' },
              { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '121022', display: 'Accession Number' },
            ],
          },
          system: 'urn:oid:1.2.826.0.1285.0.2.0.7',
          value: 'ACC0001',
        },
      },
    ]);
  });

  it('writes the DICOM format code and the modality extension from the DCM event code', () => {
    const doc = kos();
    expect(doc.content[0]?.format).toEqual({ system: 'http://dicom.nema.org/resources/ontology/DCMUID', code: '1.2.840.10008.5.1.4.1.1.88.59', display: 'Key Object Selection Document' });
    expect(doc.extension).toContainEqual({
      url: 'https://profiles.ihe.net/RAD/MADO/StructureDefinition/ext-R5-DocumentReference.modality',
      valueCodeableConcept: { coding: [{ system: 'http://dicom.nema.org/resources/ontology/DCM', code: 'CT', display: 'Computed Tomography' }] },
    });
    expect(doc.context?.event).toHaveLength(2);
  });

  it('does not claim MADO for a DICOM object of another format', () => {
    const entry = kosManifest();
    const other = { ...entry, classifications: entry.classifications.map((c) => (c.classificationScheme === SCHEME.format ? { ...c, nodeRepresentation: '1.2.840.10008.5.1.4.1.1.2' } : c)) };
    const doc = mapped(other);
    expect(doc.meta?.profile).toEqual([MHD_MINIMAL, UK_CORE]);
    expect(doc.identifier).toHaveLength(1);
  });
});

describe('toDocumentReference: entries left out', () => {
  it.each<[string, () => RimExtrinsicObject, RegExp]>([
    ['no uniqueId', () => withExternalId(pdfReport(), SCHEME.uniqueId), /^DocumentEntry\.uniqueId is missing$/],
    ['no repositoryUniqueId', () => withSlot(pdfReport(), 'repositoryUniqueId'), /^DocumentEntry\.repositoryUniqueId is missing$/],
    ['no patientId', () => withExternalId(pdfReport(), SCHEME.patientId), /^DocumentEntry\.patientId is missing$/],
    ['another patient', () => withExternalId(pdfReport(), SCHEME.patientId, `9000000017^^^&${NHS_OID}&ISO`), /patientId is not the NHS number searched/],
    ['another assigning authority', () => withExternalId(pdfReport(), SCHEME.patientId, `${NHS_NUMBER}^^^&1.2.3.4&ISO`), /patientId is not the NHS number searched/],
    ['no entryUUID', () => ({ ...pdfReport(), id: ' ' }), /^DocumentEntry\.entryUUID is missing$/],
    ['an entryUUID too long for an id', () => ({ ...pdfReport(), id: 'document-entry-with-a-very-long-local-id' }), /entryUUID is too long/],
    ['status Submitted', () => ({ ...pdfReport(), status: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Submitted' }), /availabilityStatus is missing or cannot be mapped to status/],
    ['status named like a prototype key', () => ({ ...pdfReport(), status: 'constructor' }), /availabilityStatus/],
    ['no mimeType', () => ({ ...pdfReport(), mimeType: undefined }) as RimExtrinsicObject, /DocumentEntry\.mimeType is missing or cannot be mapped to content\[0\]\.attachment\.contentType/],
  ])('%s', (_label, entry, reason) => {
    expect(reasonFor(entry())).toMatch(reason);
  });

  it('never throws on malformed upstream values', () => {
    const garbage: RimExtrinsicObject = {
      ...pdfReport(),
      slots: [
        { name: 'sourcePatientInfo', values: ['PID-5', '|x', 'PID-8|Z', 'PID-3|^^^&&&'] },
        { name: 'repositoryUniqueId', values: ['1.2.3'] },
        { name: 'urn:ihe:iti:xds:2013:referenceIdList', values: ['^^^^', '\\E\\^^^&\\T\\&ISO^urn:ihe:iti:xds:2013:accession'] },
        { name: 'legalAuthenticator', values: ['^^^^^^^^'] },
      ],
      classifications: [{ classificationScheme: SCHEME.type, slots: [] }, { classificationScheme: SCHEME.author, slots: [{ name: 'authorInstitution', values: ['^^^^^'] }] }],
    };
    const result = toDocumentReference(garbage, CTX);
    expect(result.ok).toBe(true);
    if (result.ok) expect(validateResource(result.resource, 'DocumentReference')).toEqual({ valid: true, errors: [] });
  });
});
