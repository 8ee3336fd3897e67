import { XcaError } from '../../../../src/xca/errors';
import { parseAdhocQueryResponse } from '../../../../src/xca/iti38/response-parser';
import type { AdhocQueryResponse } from '../../../../src/xca/model';
import { fixture, whole } from '../support/sources';
import { xcaRejection } from '../support/rejection';

const MAX = 5 * 1024 * 1024;
const parse = (data: Buffer | string): Promise<AdhocQueryResponse> => parseAdhocQueryResponse(whole(data), { maxBytes: MAX });
const parseFixture = (name: string): Promise<AdhocQueryResponse> => parse(fixture(name));

async function failure(data: Buffer | string): Promise<XcaError> {
  return xcaRejection(parse(data));
}

const DOC_ID = 'urn:uuid:0a6e4b2c-1f3d-4c5e-9a7b-1c2d3e4f5a01';
const PATIENT_CX = '9000000009^^^&2.16.840.1.113883.2.1.4.1&ISO';

/** What leafclass-prefixed.xml says, read off the file by hand. */
const EXPECTED_LEAFCLASS: AdhocQueryResponse = {
  status: 'Success',
  objectRefs: [],
  errors: [],
  extrinsicObjects: [
    {
      id: DOC_ID,
      lid: DOC_ID,
      home: 'urn:oid:1.2.826.0.1.999.1',
      mimeType: 'application/pdf',
      status: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved',
      objectType: 'urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1',
      name: 'Chest X-ray report – Ærø',
      description: 'Report & images "final"',
      slots: [
        { name: 'creationTime', values: ['20240102030405'] },
        { name: 'languageCode', values: ['en-GB'] },
        { name: 'repositoryUniqueId', values: ['1.2.826.0.1.999.1.2'] },
        { name: 'hash', values: ['da39a3ee5e6b4b0d3255bfef95601890afd80709'] },
        { name: 'size', values: ['1234'] },
        { name: 'sourcePatientId', values: [PATIENT_CX] },
        { name: 'sourcePatientInfo', values: [`PID-3|${PATIENT_CX}`, "PID-5|O'Brien^Zoë^^^", 'PID-7|19700101'] },
        { name: 'serviceStartTime', values: ['20240101090000'] },
        {
          name: 'urn:ihe:iti:xds:2013:referenceIdList',
          values: ['1.2.826.0.1.3680043.1.1^^^^urn:ihe:iti:xds:2016:studyInstanceUID', 'ACC-1 <a>^^^^urn:ihe:iti:xds:2013:accession'],
        },
      ],
      classifications: [
        {
          classificationScheme: 'urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d',
          classifiedObject: DOC_ID,
          nodeRepresentation: '',
          slots: [
            { name: 'authorPerson', values: ['^Radiologist^Ann^^^Dr'] },
            { name: 'authorInstitution', values: ['Example Trust^^^^^&2.16.840.1.113883.2.1.3.2.4.19.1&ISO^^^^RXX'] },
          ],
        },
        {
          classificationScheme: 'urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a',
          classifiedObject: DOC_ID,
          nodeRepresentation: '4201000179104',
          name: 'Imaging report',
          slots: [{ name: 'codingScheme', values: ['2.16.840.1.113883.6.96'] }],
        },
        {
          classificationScheme: 'urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f',
          classifiedObject: DOC_ID,
          nodeRepresentation: 'N',
          name: 'Normal',
          slots: [{ name: 'codingScheme', values: ['2.16.840.1.113883.5.25'] }],
        },
      ],
      externalIdentifiers: [
        { identificationScheme: 'urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427', value: PATIENT_CX, name: 'XDSDocumentEntry.patientId' },
        { identificationScheme: 'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab', value: '1.2.826.0.1.999.1.3.4', name: 'XDSDocumentEntry.uniqueId' },
      ],
    },
  ],
};

describe('parseAdhocQueryResponse: what it reads', () => {
  it('reads a LeafClass answer: attributes, Slots, Name/Description, Classifications, ExternalIdentifiers', async () => {
    expect(await parseFixture('leafclass-prefixed.xml')).toStrictEqual(EXPECTED_LEAFCLASS);
  });

  it('reads the same answer written with default namespaces, odd prefixes, per-element xmlns, CDATA and char refs', async () => {
    expect(await parseFixture('leafclass-default-ns.xml')).toStrictEqual(EXPECTED_LEAFCLASS);
  });

  it('reads ObjectRefs from a bare AdhocQueryResponse; home="" means no home', async () => {
    const result = await parseFixture('objectref.xml');
    expect(result.status).toBe('Success');
    expect(result.extrinsicObjects).toEqual([]);
    expect(result.objectRefs).toStrictEqual([
      { id: 'urn:uuid:1b0c0000-0000-4000-8000-000000000001', home: 'urn:oid:1.2.826.0.1.999.1' },
      { id: 'urn:uuid:1b0c0000-0000-4000-8000-000000000002', home: 'urn:oid:1.2.826.0.1.999.1' },
      { id: 'urn:uuid:1b0c0000-0000-4000-8000-000000000003' },
    ]);
  });

  it('reads PartialSuccess (IHE form) with its documents and its warning', async () => {
    const result = await parseFixture('partial-success.xml');
    expect(result.status).toBe('PartialSuccess');
    expect(result.extrinsicObjects.map((eo) => [eo.id, eo.name, eo.mimeType])).toEqual([
      ['urn:uuid:2c0d0000-0000-4000-8000-000000000001', 'CT head manifest', 'application/dicom'],
    ]);
    expect(result.errors).toStrictEqual([
      {
        errorCode: 'XDSRegistryNotAvailable',
        codeContext: 'Registry of community B did not answer',
        severity: 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning',
        location: 'urn:oid:1.2.826.0.1.999.2',
      },
    ]);
  });

  it('reads PartialSuccess (ebRS form); a RegistryError with text content and no severity gets the ebRS default', async () => {
    const result = await parseFixture('partial-success-ebrs.xml');
    expect(result.status).toBe('PartialSuccess');
    expect(result.extrinsicObjects).toHaveLength(1);
    expect(result.errors).toStrictEqual([
      { errorCode: 'XDSRegistryError', codeContext: 'Too many results, narrow the query', severity: 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error' },
    ]);
  });

  it('returns Failure with XDSUnknownPatientId instead of throwing', async () => {
    const result = await parseFixture('failure-unknown-patient.xml');
    expect(result).toStrictEqual({
      status: 'Failure',
      extrinsicObjects: [],
      objectRefs: [],
      errors: [
        {
          errorCode: 'XDSUnknownPatientId',
          codeContext: 'Patient identifier not known to this community',
          severity: 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error',
          location: 'urn:oid:1.2.826.0.1.999.1',
        },
      ],
    });
  });

  it('keeps each object’s own home when one gateway answers for several communities', async () => {
    const result = await parseFixture('multi-community.xml');
    expect(result.extrinsicObjects.map((eo) => [eo.home, eo.name])).toEqual([
      ['urn:oid:1.2.826.0.1.999.1', 'Report from A (1)'],
      ['urn:oid:1.2.826.0.1.999.2', 'Report from B'],
      ['urn:oid:1.2.826.0.1.999.1', 'Report from A (2)'],
    ]);
  });

  it('reads an empty Success', async () => {
    expect(await parseFixture('empty.xml')).toStrictEqual({ status: 'Success', extrinsicObjects: [], objectRefs: [], errors: [] });
  });
});

describe('parseAdhocQueryResponse: SOAP Faults and unusable answers', () => {
  it('turns a SOAP 1.2 Fault into XcaError(soap-fault) with code, subcode and an English, redacted reason', async () => {
    const err = await failure(fixture('soap12-fault.xml'));
    expect(err.kind).toBe('soap-fault');
    expect(err.faultCode).toBe('Sender');
    expect(err.faultSubcode).toBe('InvalidSecurity');
    expect(err.message).toBe('The responding gateway returned a SOAP Fault (Sender/InvalidSecurity): Invalid security token for query on patient [redacted]');
    expect(err.message).not.toMatch(/Thing\.java/);
  });

  it('reads a SOAP 1.1 Fault too', async () => {
    const err = await failure(fixture('soap11-fault.xml'));
    expect(err.kind).toBe('soap-fault');
    expect(err.faultCode).toBe('Server');
    expect(err.message).toContain('Registry database unavailable');
  });

  it('refuses a SOAP message without AdhocQueryResponse', async () => {
    const err = await failure('<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><rs:RegistryResponse xmlns:rs="urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0" status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"/></s:Body></s:Envelope>');
    expect(err.kind).toBe('unparseable');
    expect(err.message).toBe('The ITI-38 response holds no AdhocQueryResponse');
  });

  it('refuses an AdhocQueryResponse in the wrong namespace (matching is by URI, not by name)', async () => {
    const err = await failure('<query:AdhocQueryResponse xmlns:query="urn:example:other" status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"/>');
    expect(err.kind).toBe('unparseable');
  });

  it('refuses a missing or unknown status', async () => {
    const q = 'xmlns:q="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0"';
    expect((await failure(`<q:AdhocQueryResponse ${q}/>`)).message).toMatch(/no status/);
    expect((await failure(`<q:AdhocQueryResponse ${q} status="Maybe"/>`)).message).toMatch(/unknown AdhocQueryResponse status/);
  });

  it('refuses an ExtrinsicObject or ObjectRef without id', async () => {
    const open = '<q:AdhocQueryResponse xmlns:q="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0" xmlns:r="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0" status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"><r:RegistryObjectList>';
    const close = '</r:RegistryObjectList></q:AdhocQueryResponse>';
    expect((await failure(`${open}<r:ExtrinsicObject/>${close}`)).message).toMatch(/ExtrinsicObject without an id/);
    expect((await failure(`${open}<r:ObjectRef home="urn:oid:1.2"/>${close}`)).message).toMatch(/ObjectRef without an id/);
  });

  it('refuses a body that is not XML at all, or empty', async () => {
    expect((await failure('<html><body>502 Bad Gateway</body>')).kind).toBe('unparseable');
    expect((await failure('')).kind).toBe('unparseable');
  });
});
