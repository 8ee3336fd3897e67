import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { parseXml } from '../../../src/sandbox/xml/parse';
import { attr } from '../../../src/sandbox/xml/tree';
import { GET_DOCUMENTS, HOME_B, NS, descendants, findSlots, iti38Request, patientSlot, post, soapContentType, summary, type RequestOptions } from './helpers';

let sandbox: Sandbox;
let url: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  url = sandbox.gateways[0].iti38Url;
});
afterAll(async () => {
  await sandbox.close();
});

const MESSAGE_ID = 'urn:uuid:0b7b3c1e-1f0e-4f39-9d55-1c0d4b3f0001';
const ask = (o: RequestOptions) => post(url, iti38Request(o));

async function registryError(o: RequestOptions): Promise<string | undefined> {
  const res = await ask(o);
  expect(res.status).toBe(200);
  const s = summary(res.root);
  expect(s.status).toBe('Failure');
  expect(s.relatesTo).toBe(MESSAGE_ID);
  return s.errors[0]?.errorCode;
}

async function rawPost(body: string, contentType = soapContentType()) {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': contentType }, body });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', s: summary(parseXml(text)), text };
}

describe('strict ITI-38: registry errors for well-formed requests that are not acceptable queries', () => {
  it.each([
    ['a missing $XDSDocumentEntryStatus', { slots: [patientSlot('9000000009')] }, 'XDSStoredQueryMissingParam'],
    ['a missing patient id', { slots: [['$XDSDocumentEntryStatus', ["('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')"]]] }, 'XDSStoredQueryMissingParam'],
    ['an unquoted patient id', { slots: [['$XDSDocumentEntryPatientId', ['9000000009^^^&2.16.840.1.113883.2.1.4.1&ISO']], ['$XDSDocumentEntryStatus', ["('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')"]]] }, 'XDSRegistryError'],
    ['a status list without parentheses', { slots: [patientSlot('9000000009'), ['$XDSDocumentEntryStatus', ["'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved'"]]] }, 'XDSRegistryError'],
    ['a quoted time', { slots: findSlots('9000000009', ['$XDSDocumentEntryCreationTimeFrom', ["'2024'"]]) }, 'XDSRegistryError'],
    ['a code without scheme', { slots: findSlots('9000000009', ['$XDSDocumentEntryClassCode', ["('721981007')"]]) }, 'XDSRegistryError'],
    ['a repeated classCode slot', { slots: findSlots('9000000009', ['$XDSDocumentEntryClassCode', ["('a^^1.2')"]], ['$XDSDocumentEntryClassCode', ["('b^^1.2')"]]) }, 'XDSStoredQueryParamNumber'],
    ['an unknown parameter', { slots: findSlots('9000000009', ['$XDSDocumentEntryColour', ["('blue')"]]) }, 'XDSRegistryError'],
    ['an unknown stored query', { queryId: 'urn:uuid:00000000-0000-4000-8000-000000000000', slots: findSlots('9000000009') }, 'XDSUnknownStoredQuery'],
    ['another community in AdhocQuery@home', { home: HOME_B, slots: findSlots('9000000009') }, 'XDSUnknownCommunity'],
    ['no AdhocQuery@home', { home: null, slots: findSlots('9000000009') }, 'XDSMissingHomeCommunityId'],
    ['GetDocuments with both entryUUID and uniqueId', { queryId: GET_DOCUMENTS, slots: [['$XDSDocumentEntryEntryUUID', ["('urn:uuid:2e4c394a-92b3-4888-b70a-36774df31d72')"]], ['$XDSDocumentEntryUniqueId', ["('2.999.1.1.1.1')"]]] }, 'XDSStoredQueryParamNumber'],
    ['GetDocuments with neither', { queryId: GET_DOCUMENTS, slots: [] }, 'XDSStoredQueryMissingParam'],
    ['returnType RegistryObject', { returnType: 'RegistryObject', slots: findSlots('9000000009') }, 'XDSRegistryError'],
  ] as Array<[string, Omit<RequestOptions, 'messageId'>, string]>)('%s → %s', async (_name, options, code) => {
    expect(await registryError({ ...options, messageId: MESSAGE_ID })).toBe(code);
  });
});

describe('strict ITI-38: SOAP 1.2 faults for malformed messages', () => {
  it('wrong wsa:Action → env:Sender / wsa:ActionNotSupported, HTTP 400, related to the request', async () => {
    const action = 'urn:ihe:iti:2007:CrossGatewayRetrieve';
    const res = await rawPost(iti38Request({ action, slots: findSlots('9000000009'), messageId: MESSAGE_ID }), soapContentType(action));
    expect(res.status).toBe(400);
    expect(res.contentType).toMatch(/^application\/soap\+xml/);
    expect(res.s).toMatchObject({ faultCode: 'env:Sender', faultSubcode: 'wsa:ActionNotSupported', relatesTo: MESSAGE_ID, action: 'http://www.w3.org/2005/08/addressing/fault' });
  });

  it('a missing wsa:MessageID → wsa:MessageAddressingHeaderRequired', async () => {
    const res = await rawPost(iti38Request({ messageId: null, slots: findSlots('9000000009') }));
    expect(res.status).toBe(400);
    expect(res.s.faultSubcode).toBe('wsa:MessageAddressingHeaderRequired');
  });

  it('a DOCTYPE (entity expansion attempt) → env:Sender, promptly, nothing expanded', async () => {
    const lol = '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>';
    const started = Date.now();
    const res = await rawPost(iti38Request({ slots: findSlots('9000000009') }).replace('?>', `?>${lol}`).replace('9000000009^', '&c;^'));
    expect(res.status).toBe(400);
    expect(res.s.faultCode).toBe('env:Sender');
    expect(res.s.faultReason).toMatch(/DOCTYPE/);
    expect(res.text).not.toContain('aaaaaaaaaa');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('not XML → env:Sender, HTTP 400', async () => {
    const res = await rawPost('this is not xml');
    expect(res.status).toBe(400);
    expect(res.s.faultCode).toBe('env:Sender');
  });

  it('a SOAP 1.1 envelope → env:VersionMismatch with an Upgrade header, HTTP 500', async () => {
    const res = await rawPost(iti38Request({ slots: findSlots('9000000009') }).replace('http://www.w3.org/2003/05/soap-envelope', 'http://schemas.xmlsoap.org/soap/envelope/'));
    expect(res.status).toBe(500);
    expect(res.s.faultCode).toBe('env:VersionMismatch');
    expect(res.text).toContain('env:SupportedEnvelope');
  });

  it('a body that is not an AdhocQueryRequest → env:Sender naming the element', async () => {
    const body = iti38Request({ slots: [] }).replace(/<query:AdhocQueryRequest[\s\S]*<\/query:AdhocQueryRequest>/, '<x:RetrieveDocumentSetRequest xmlns:x="urn:ihe:iti:xds-b:2007"/>');
    const res = await rawPost(body);
    expect(res.status).toBe(400);
    expect(res.s.faultReason).toContain('RetrieveDocumentSetRequest');
  });

  it('an invalid returnType → env:Sender (not an ebRS return type)', async () => {
    expect((await rawPost(iti38Request({ returnType: 'Everything', slots: findSlots('9000000009') }))).s.faultCode).toBe('env:Sender');
  });

  it('an unknown mandatory header → env:MustUnderstand with env:NotUnderstood, HTTP 500', async () => {
    const res = await rawPost(iti38Request({ slots: findSlots('9000000009'), extraHeader: '<p:Policy xmlns:p="urn:example:policy" soap:mustUnderstand="true"/>' }));
    expect(res.status).toBe(500);
    expect(res.s.faultCode).toBe('env:MustUnderstand');
    const notUnderstood = descendants(parseXml(res.text), NS.soap, 'NotUnderstood')[0];
    expect(attr(notUnderstood!, 'qname')).toBe('nu:Policy');
  });

  it('SOAP 1.1 media type → HTTP 415; no action parameter → env:Sender', async () => {
    expect((await rawPost(iti38Request({ slots: findSlots('9000000009') }), 'text/xml; charset=utf-8')).status).toBe(415);
    const noAction = await rawPost(iti38Request({ slots: findSlots('9000000009') }), 'application/soap+xml; charset=UTF-8');
    expect(noAction.status).toBe(400);
    expect(noAction.s.faultReason).toMatch(/action parameter/);
  });

  it('a body over 1 MiB → HTTP 413', async () => {
    const res = await rawPost(iti38Request({ slots: findSlots('9000000009') }).replace('</soap:Header>', `<x:Pad xmlns:x="urn:x">${'a'.repeat(1024 * 1024)}</x:Pad></soap:Header>`));
    expect(res.status).toBe(413);
  });

  it('answers 405 to GET and 404 to unknown paths', async () => {
    const get = await fetch(url);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await fetch(`${sandbox.gateways[0].baseUrl}/nowhere`, { method: 'POST' })).status).toBe(404);
  });
});
