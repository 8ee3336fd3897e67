import { xmllint } from './public-fixtures';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { FIND_BY_REFERENCE_ID, GET_DOCUMENTS, HOME_B, findSlots, iti38Request, soapContentType } from '../integration/sandbox/helpers';

/**
 * Every kind of answer the sandbox gateways give is schema-valid: the SOAP 1.2 envelope strictly and the ebRS
 * AdhocQueryResponse strictly (rim.xsd / query.xsd / rs.xsd), through the shared soap-envelope-ihe.xsd and xmllint.
 */

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

async function answer(gateway: 0 | 1, body: string, contentType = soapContentType(), path: 'iti38Url' | 'iti39Url' = 'iti38Url'): Promise<string> {
  const res = await fetch(sandbox.gateways[gateway][path], { method: 'POST', headers: { 'Content-Type': contentType }, body });
  return res.text();
}

const cases: Array<[string, () => Promise<string>]> = [
  ['LeafClass with PDF reports (A, 9000000009)', () => answer(0, iti38Request({ slots: findSlots('9000000009') }))],
  ['LeafClass with a KOS manifest (B, 9000000009)', () => answer(1, iti38Request({ home: HOME_B, slots: findSlots('9000000009') }))],
  ['300 documents (A, 9000000041)', () => answer(0, iti38Request({ slots: findSlots('9000000041') }))],
  ['ObjectRef', () => answer(0, iti38Request({ returnType: 'ObjectRef', slots: findSlots('9000000009') }))],
  ['FindDocumentsByReferenceId', () => answer(1, iti38Request({ home: HOME_B, queryId: FIND_BY_REFERENCE_ID, slots: findSlots('9000000009', ['$XDSDocumentEntryReferenceIdList', ["('2.999.1.2.5.1^^^^urn:ihe:iti:xds:2016:studyInstanceUID')"]]) }))],
  ['GetDocuments', () => answer(0, iti38Request({ queryId: GET_DOCUMENTS, slots: [['$XDSDocumentEntryUniqueId', ["('2.999.1.1.1.4','2.999.1.1.1.2')"]]] }))],
  ['Success, empty (9000000017)', () => answer(0, iti38Request({ slots: findSlots('9000000017') }))],
  ['Failure XDSUnknownPatientId (9000000068)', () => answer(0, iti38Request({ slots: findSlots('9000000068') }))],
  ['Failure XDSRegistryError (B, 9000000025)', () => answer(1, iti38Request({ home: HOME_B, slots: findSlots('9000000025') }))],
  ['Failure XDSStoredQueryMissingParam', () => answer(0, iti38Request({ slots: findSlots('9000000009').slice(0, 1) }))],
  ['Fault wsa:ActionNotSupported', () => answer(0, iti38Request({ action: 'urn:x', slots: [] }), soapContentType('urn:x'))],
  ['Fault env:MustUnderstand with NotUnderstood', () => answer(0, iti38Request({ slots: [], extraHeader: '<p:P xmlns:p="urn:p" soap:mustUnderstand="1"/>' }))],
  ['Fault env:VersionMismatch with Upgrade', () => answer(0, '<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body/></e:Envelope>')],
  ['Fault for a DOCTYPE', () => answer(0, '<!DOCTYPE x><x/>')],
  ['Fault env:Sender for a plain-SOAP ITI-39 request', () => answer(0, '<x/>', soapContentType('urn:ihe:iti:2007:CrossGatewayRetrieve'), 'iti39Url')],
];

describe('sandbox responses validate against soap-envelope-ihe.xsd', () => {
  it.each(cases)('%s', async (_name, get) => {
    const xml = await get();
    const result = xmllint({ text: xml });
    expect(result.stderr).not.toMatch(/validity error|parser error/);
    expect(result.code).toBe(0);
  });
});
