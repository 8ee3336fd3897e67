import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { attr, type XmlElement } from '../../../src/sandbox/xml/tree';
import {
  DEPRECATED,
  FIND_BY_REFERENCE_ID,
  GET_DOCUMENTS,
  HOME_A,
  HOME_B,
  NS,
  descendants,
  findSlots,
  iti38Request,
  patientSlot,
  post,
  summary,
  uniqueIds,
  type RequestOptions,
} from './helpers';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

const askA = (o: RequestOptions) => post(sandbox.gateways[0].iti38Url, iti38Request({ home: HOME_A, ...o }));
const askB = (o: RequestOptions) => post(sandbox.gateways[1].iti38Url, iti38Request({ home: HOME_B, ...o }));
const SNOMED = '2.16.840.1.113883.6.96';
const STUDY = '2.999.1.2.5.1^^^^urn:ihe:iti:xds:2016:studyInstanceUID';

function slotValues(eo: XmlElement, name: string): string[] {
  const slot = eo.children.find((c) => c.local === 'Slot' && attr(c, 'name') === name);
  return slot ? descendants(slot, NS.rim, 'Value').map((v) => v.text) : [];
}

describe('sandbox ITI-38 scenarios', () => {
  it('9000000009 in A: three current PDF reports, as a synchronous WS-Addressing response', async () => {
    const res = await askA({ slots: findSlots('9000000009'), messageId: 'urn:uuid:11111111-2222-4333-8444-555555555555' });
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^application\/soap\+xml; charset=UTF-8; action="urn:ihe:iti:2007:CrossGatewayQueryResponse"/);
    const s = summary(res.root);
    expect(s).toMatchObject({ status: 'Success', errors: [], action: 'urn:ihe:iti:2007:CrossGatewayQueryResponse', relatesTo: 'urn:uuid:11111111-2222-4333-8444-555555555555' });
    expect(uniqueIds(res.root)).toEqual(['2.999.1.1.1.1', '2.999.1.1.1.2', '2.999.1.1.1.3']);
    expect(s.extrinsicObjects.every((eo) => attr(eo, 'home') === HOME_A && attr(eo, 'mimeType') === 'application/pdf')).toBe(true);
  });

  it('writes full ExtrinsicObjects: attributes, slots, classifications and external identifiers', async () => {
    const [eo] = summary((await askA({ slots: findSlots('9000000009') })).root).extrinsicObjects;
    expect(eo).toBeDefined();
    const id = attr(eo!, 'id');
    expect(attr(eo!, 'objectType')).toBe('urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1');
    expect(attr(eo!, 'status')).toBe('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved');
    expect(slotValues(eo!, 'creationTime')).toEqual(['20240115103000']);
    expect(slotValues(eo!, 'repositoryUniqueId')).toEqual(['2.999.1.1.1']);
    for (const name of ['languageCode', 'size', 'hash', 'serviceStartTime', 'serviceStopTime', 'sourcePatientId']) expect(slotValues(eo!, name)).toHaveLength(1);
    expect(slotValues(eo!, 'sourcePatientInfo')).toContain('PID-3|9000000009^^^&2.16.840.1.113883.2.1.4.1&ISO');
    expect(slotValues(eo!, 'urn:ihe:iti:xds:2013:referenceIdList')).toContain(STUDY);
    const classifications = eo!.children.filter((c) => c.local === 'Classification');
    expect(classifications.every((c) => attr(c, 'classifiedObject') === id)).toBe(true);
    const schemes = new Set(classifications.map((c) => attr(c, 'classificationScheme')));
    expect(schemes.size).toBe(8);
    const author = classifications.find((c) => attr(c, 'classificationScheme') === 'urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d')!;
    expect(slotValues(author, 'authorInstitution')[0]).toMatch(/\^\^\^\^\^&2\.16\.840\.1\.113883\.2\.1\.4\.3&ISO\^\^\^\^[A-Z0-9]{5}$/);
    const classCode = classifications.find((c) => attr(c, 'classificationScheme') === 'urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a')!;
    expect(attr(classCode, 'nodeRepresentation')).toBe('4201000179104');
    expect(slotValues(classCode, 'codingScheme')).toEqual([SNOMED]);
    expect(attr(descendants(classCode, NS.rim, 'LocalizedString')[0]!, 'value')).toBe('Imaging report');
    const ids = eo!.children.filter((c) => c.local === 'ExternalIdentifier').map((c) => [attr(c, 'identificationScheme'), attr(c, 'value'), attr(c, 'registryObject')]);
    expect(ids).toEqual([
      ['urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427', '9000000009^^^&2.16.840.1.113883.2.1.4.1&ISO', id],
      ['urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab', '2.999.1.1.1.1', id],
    ]);
  });

  it('9000000009: the deprecated report comes only with status Deprecated', async () => {
    expect(uniqueIds((await askA({ slots: [patientSlot('9000000009'), ['$XDSDocumentEntryStatus', [DEPRECATED]]] })).root)).toEqual(['2.999.1.1.1.4']);
  });

  it('9000000009 in B: one DICOM KOS manifest', async () => {
    const [kos, ...rest] = summary((await askB({ slots: findSlots('9000000009') })).root).extrinsicObjects;
    expect(rest).toEqual([]);
    expect(attr(kos!, 'mimeType')).toBe('application/dicom');
    expect(attr(kos!, 'home')).toBe(HOME_B);
    expect(slotValues(kos!, 'urn:ihe:iti:xds:2013:referenceIdList')).toEqual([STUDY, 'ACC1001^^^&2.999.1.2.4&ISO^urn:ihe:iti:xds:2013:accession']);
  });

  it('filters through SOAP: classCode, creationTime range, event code', async () => {
    expect(uniqueIds((await askA({ slots: findSlots('9000000009', ['$XDSDocumentEntryClassCode', [`('721981007^^${SNOMED}')`]]) })).root)).toEqual(['2.999.1.1.1.2']);
    const y2023 = findSlots('9000000009', ['$XDSDocumentEntryCreationTimeFrom', ['2023']], ['$XDSDocumentEntryCreationTimeTo', ['2024']]);
    expect(uniqueIds((await askA({ slots: y2023 })).root)).toEqual(['2.999.1.1.1.2']);
    const dx = findSlots('9000000009', ['$XDSDocumentEntryEventCodeList', ["('DX^^1.2.840.10008.2.16.4')"]]);
    expect(uniqueIds((await askA({ slots: dx })).root)).toEqual(['2.999.1.1.1.3']);
  });

  it('9000000017: known to both, no documents (Success, empty)', async () => {
    for (const res of [await askA({ slots: findSlots('9000000017') }), await askB({ slots: findSlots('9000000017') })]) {
      expect(summary(res.root)).toMatchObject({ status: 'Success', errors: [], extrinsicObjects: [] });
    }
  });

  it('9000000068: unknown to both (Failure, XDSUnknownPatientId located at the community)', async () => {
    for (const [res, home] of [[await askA({ slots: findSlots('9000000068') }), HOME_A], [await askB({ slots: findSlots('9000000068') }), HOME_B]] as const) {
      const s = summary(res.root);
      expect(res.status).toBe(200);
      expect(s.status).toBe('Failure');
      expect(s.errors).toEqual([expect.objectContaining({ errorCode: 'XDSUnknownPatientId', location: home })]);
    }
  });

  it('9000000025: A answers with documents, B with Failure XDSRegistryError', async () => {
    expect(summary((await askA({ slots: findSlots('9000000025') })).root).extrinsicObjects.length).toBeGreaterThan(0);
    const b = summary((await askB({ slots: findSlots('9000000025') })).root);
    expect(b.status).toBe('Failure');
    expect(b.errors.map((e) => e.errorCode)).toEqual(['XDSRegistryError']);
  });

  it('9000000033: A answers at once with documents', async () => {
    const started = Date.now();
    expect(summary((await askA({ slots: findSlots('9000000033') })).root).extrinsicObjects.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('9000000041: 300 current documents in A, none in B', async () => {
    expect(summary((await askA({ slots: findSlots('9000000041') })).root).extrinsicObjects).toHaveLength(300);
    expect(summary((await askB({ slots: findSlots('9000000041') })).root)).toMatchObject({ status: 'Success', extrinsicObjects: [] });
  });

  it('returnType ObjectRef answers ObjectRefs (id and home), not ExtrinsicObjects', async () => {
    const s = summary((await askA({ slots: findSlots('9000000009'), returnType: 'ObjectRef' })).root);
    expect(s.extrinsicObjects).toEqual([]);
    expect(s.objectRefs.map((r) => [attr(r, 'id'), attr(r, 'home')])).toEqual([
      ['urn:uuid:2e4c394a-92b3-4888-b70a-36774df31d72', HOME_A],
      ['urn:uuid:4f3f4b2f-bd1e-402b-92ad-c4273124b210', HOME_A],
      ['urn:uuid:24339dfe-75b9-4a4d-9c37-912cf2c83487', HOME_A],
    ]);
  });

  it('FindDocumentsByReferenceId finds the study in both communities', async () => {
    const slots = findSlots('9000000009', ['$XDSDocumentEntryReferenceIdList', [`('${STUDY}')`]]);
    expect(uniqueIds((await askA({ queryId: FIND_BY_REFERENCE_ID, slots })).root)).toEqual(['2.999.1.1.1.1']);
    expect(uniqueIds((await askB({ queryId: FIND_BY_REFERENCE_ID, slots })).root)).toEqual(['2.999.1.2.1.1']);
    const withDeprecated = [patientSlot('9000000009'), ['$XDSDocumentEntryStatus', [`('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved','urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated')`]], ['$XDSDocumentEntryReferenceIdList', [`('${STUDY}')`]]] as const;
    expect(uniqueIds((await askA({ queryId: FIND_BY_REFERENCE_ID, slots: withDeprecated })).root)).toEqual(['2.999.1.1.1.1', '2.999.1.1.1.4']);
  });

  it('GetDocuments by entryUUID and by uniqueId, whatever the status, in the order asked', async () => {
    const byUuid = await askA({ queryId: GET_DOCUMENTS, slots: [['$XDSDocumentEntryEntryUUID', ["('urn:uuid:f5845d3c-0541-4d92-ac70-ac6d5cd79460','urn:uuid:2e4c394a-92b3-4888-b70a-36774df31d72')"]]] });
    expect(uniqueIds(byUuid.root)).toEqual(['2.999.1.1.1.4', '2.999.1.1.1.1']);
    const byUid = await askB({ queryId: GET_DOCUMENTS, slots: [['$XDSDocumentEntryUniqueId', ["('2.999.1.2.1.1')", "('2.999.9.9.9')"]]] });
    expect(uniqueIds(byUid.root)).toEqual(['2.999.1.2.1.1']);
    const none = await askA({ queryId: GET_DOCUMENTS, slots: [['$XDSDocumentEntryUniqueId', ["('2.999.1.2.1.1')"]]] });
    expect(summary(none.root)).toMatchObject({ status: 'Success', extrinsicObjects: [] });
  });
});
