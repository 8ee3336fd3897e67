import { buildSoapEnvelope, freshAddressing, newMessageId, soapContentType } from '../../../../src/xca/soap/envelope';
import { childNamed } from '../../../../src/xca/xml/subtree';
import { parseTree } from '../support/tree';

const SOAP = 'http://www.w3.org/2003/05/soap-envelope';
const WSA = 'http://www.w3.org/2005/08/addressing';

// Our own output is parsed back (namespace-aware) to check what a receiver sees, not just the text.
const BODY = '<x:Ping xmlns:x="urn:example:ping">hi</x:Ping>';

describe('buildSoapEnvelope', () => {
  it('writes a SOAP 1.2 envelope with the WS-Addressing headers of ITI TF-2 Appendix V', async () => {
    const xml = buildSoapEnvelope({ action: 'urn:ihe:iti:2007:CrossGatewayQuery', addressing: { to: 'https://gw.example/xca?a=1&b=2', messageId: 'urn:uuid:11111111-2222-4333-8444-555555555555' }, body: BODY });
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    const envelope = await parseTree(xml);
    expect([envelope.uri, envelope.local]).toEqual([SOAP, 'Envelope']);
    const header = childNamed(envelope, SOAP, 'Header');
    if (!header) throw new Error('no Header');
    const action = childNamed(header, WSA, 'Action');
    expect(action?.text).toBe('urn:ihe:iti:2007:CrossGatewayQuery');
    expect(action?.attributes.get(`{${SOAP}}mustUnderstand`)).toBe('1');
    expect(childNamed(header, WSA, 'MessageID')?.text).toBe('urn:uuid:11111111-2222-4333-8444-555555555555');
    const replyTo = childNamed(header, WSA, 'ReplyTo');
    expect(replyTo && childNamed(replyTo, WSA, 'Address')?.text).toBe('http://www.w3.org/2005/08/addressing/anonymous');
    expect(childNamed(header, WSA, 'To')?.text).toBe('https://gw.example/xca?a=1&b=2');
    const body = childNamed(envelope, SOAP, 'Body');
    expect(body && childNamed(body, 'urn:example:ping', 'Ping')?.text).toBe('hi');
  });

  it('writes a bare UUID as urn:uuid:, and newMessageId() makes fresh urn:uuid: ids', () => {
    const xml = buildSoapEnvelope({ action: 'a:b', addressing: { to: 'http://x', messageId: 'ABCDEF01-2345-4678-9abc-def012345678' }, body: BODY });
    expect(xml).toContain('<wsa:MessageID>urn:uuid:ABCDEF01-2345-4678-9abc-def012345678</wsa:MessageID>');
    const a = newMessageId();
    expect(a).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newMessageId()).not.toBe(a);
  });

  it('inserts the security header verbatim inside soap:Header', async () => {
    const security = '<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><wsse:Token>t</wsse:Token></wsse:Security>';
    const xml = buildSoapEnvelope({ action: 'a:b', addressing: { to: 'http://x', messageId: newMessageId(), securityHeader: security }, body: BODY });
    expect(xml).toContain(security);
    const header = childNamed(await parseTree(xml), SOAP, 'Header');
    expect(header?.children.map((c) => c.local)).toEqual(['Action', 'MessageID', 'ReplyTo', 'To', 'Security']);
  });

  it('escapes addressing values', () => {
    const xml = buildSoapEnvelope({ action: 'urn:a<b>', addressing: { to: 'http://x/"q"&r', messageId: 'urn:uuid:x' }, body: BODY });
    expect(xml).toContain('<wsa:Action soap:mustUnderstand="1">urn:a&lt;b&gt;</wsa:Action>');
    expect(xml).toContain('<wsa:To>http://x/"q"&amp;r</wsa:To>');
  });
});

describe('soapContentType', () => {
  it('is the SOAP 1.2 media type with the action parameter', () => {
    expect(soapContentType('urn:ihe:iti:2007:CrossGatewayQuery')).toBe('application/soap+xml; charset=UTF-8; action="urn:ihe:iti:2007:CrossGatewayQuery"');
  });

  it('cannot be broken out of by a quote in the action', () => {
    expect(soapContentType('urn:x"; evil="1')).toBe('application/soap+xml; charset=UTF-8; action="urn:x; evil=1"');
  });
});

describe('freshAddressing', () => {
  it('gives each message its own MessageID and its own security header, and none when the caller signs nothing', () => {
    let built = 0;
    const header = (): string => `<wsse:Security n="${++built}"/>`;
    const [a, b] = [freshAddressing('https://gw.example/xca', header), freshAddressing('https://gw.example/xca', header)];
    expect(a.to).toBe('https://gw.example/xca');
    expect(a.messageId).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(b.messageId).not.toBe(a.messageId);
    expect([a.securityHeader, b.securityHeader]).toEqual(['<wsse:Security n="1"/>', '<wsse:Security n="2"/>']);
    expect(Object.keys(freshAddressing('https://gw.example/xca'))).toEqual(['to', 'messageId']);
  });
});
