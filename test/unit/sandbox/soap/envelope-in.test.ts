import { parseMediaType, readSoapContentType } from '../../../../src/sandbox/soap/content-type';
import { readSoapRequest } from '../../../../src/sandbox/soap/envelope-in';
import { SoapFault } from '../../../../src/sandbox/soap/fault';

const ACTION = 'urn:ihe:iti:2007:CrossGatewayQuery';
const CT = `application/soap+xml; charset=UTF-8; action="${ACTION}"`;

function envelope(header: string, body = '<q:AdhocQueryRequest xmlns:q="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0"/>'): Buffer {
  return Buffer.from(`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header>${header}</s:Header><s:Body>${body}</s:Body></s:Envelope>`);
}
const GOOD_HEADERS = `<a:Action s:mustUnderstand="1">${ACTION}</a:Action><a:MessageID>urn:uuid:1</a:MessageID><a:To>http://x</a:To>`;

function fault(fn: () => unknown): SoapFault {
  try {
    fn();
  } catch (err) {
    if (err instanceof SoapFault) return err;
    throw err;
  }
  throw new Error('expected a SoapFault');
}

describe('SOAP 1.2 request reading', () => {
  it('parses media types with quoted parameters', () => {
    const m = parseMediaType('Application/SOAP+XML ; Charset=utf-8; action="urn:a;b"');
    expect(m?.type).toBe('application/soap+xml');
    expect(m?.params.get('charset')).toBe('utf-8');
    expect(m?.params.get('action')).toBe('urn:a;b');
    expect(parseMediaType('not a type')).toBeUndefined();
  });

  it('requires application/soap+xml with UTF-8 and an action parameter', () => {
    expect(readSoapContentType(CT).action).toBe(ACTION);
    expect(fault(() => readSoapContentType('text/xml; charset=utf-8')).httpStatus).toBe(415);
    expect(fault(() => readSoapContentType('multipart/related; type="application/xop+xml"')).httpStatus).toBe(415);
    expect(fault(() => readSoapContentType(undefined)).httpStatus).toBe(415);
    expect(fault(() => readSoapContentType('application/soap+xml; charset=ISO-8859-1; action="x"')).httpStatus).toBe(415);
    expect(fault(() => readSoapContentType('application/soap+xml; charset=UTF-8')).code).toBe('Sender');
  });

  it('reads the WS-Addressing headers and the body element', () => {
    const req = readSoapRequest(CT, envelope(GOOD_HEADERS), ACTION);
    expect(req).toMatchObject({ action: ACTION, messageId: 'urn:uuid:1', to: 'http://x' });
    expect(req.body.local).toBe('AdhocQueryRequest');
  });

  it('answers VersionMismatch to a SOAP 1.1 envelope', () => {
    const soap11 = Buffer.from('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>');
    expect(fault(() => readSoapRequest(CT, soap11, ACTION))).toMatchObject({ code: 'VersionMismatch', httpStatus: 500 });
  });

  it('answers MustUnderstand to a mandatory header it does not know, naming it', () => {
    const f = fault(() => readSoapRequest(CT, envelope(`${GOOD_HEADERS}<x:Policy xmlns:x="urn:x" s:mustUnderstand="true"/>`), ACTION));
    expect(f).toMatchObject({ code: 'MustUnderstand', httpStatus: 500, relatesTo: 'urn:uuid:1' });
    expect(f.notUnderstood).toEqual([{ ns: 'urn:x', local: 'Policy' }]);
  });

  it('ignores unknown optional headers and headers for other roles', () => {
    const extra = '<x:Hint xmlns:x="urn:x"/><x:Other xmlns:x="urn:x" s:mustUnderstand="1" s:role="urn:some:other:role"/>';
    expect(readSoapRequest(CT, envelope(GOOD_HEADERS + extra), ACTION).messageId).toBe('urn:uuid:1');
  });

  it.each([
    ['no MessageID', `<a:Action>${ACTION}</a:Action><a:To>http://x</a:To>`, 'MessageAddressingHeaderRequired'],
    ['no To', `<a:Action>${ACTION}</a:Action><a:MessageID>urn:uuid:1</a:MessageID>`, 'MessageAddressingHeaderRequired'],
    ['two Actions', `${GOOD_HEADERS}<a:Action>${ACTION}</a:Action>`, 'InvalidAddressingHeader'],
    ['a non-anonymous ReplyTo', `${GOOD_HEADERS}<a:ReplyTo><a:Address>http://elsewhere</a:Address></a:ReplyTo>`, 'OnlyAnonymousAddressSupported'],
  ])('faults a request with %s', (_name, headers, subcode) => {
    expect(fault(() => readSoapRequest(CT, envelope(headers), ACTION)).subcode).toEqual({ ns: 'http://www.w3.org/2005/08/addressing', local: subcode });
  });

  it('faults when the Content-Type action and wsa:Action disagree', () => {
    const f = fault(() => readSoapRequest('application/soap+xml; action="urn:other"', envelope(GOOD_HEADERS), ACTION));
    expect(f.subcode?.local).toBe('InvalidAddressingHeader');
  });

  it('faults a body with more than one element', () => {
    expect(fault(() => readSoapRequest(CT, envelope(GOOD_HEADERS, '<a/><b/>'), ACTION)).code).toBe('Sender');
  });
});
