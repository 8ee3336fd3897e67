import { parseXmlTree } from '../../../../src/security/xua/xml-tree';
import { childNamed, childrenNamed, attrValue, textOf } from '../../../../src/security/xua/xml-query';
import { buildSecurityHeader } from '../../../../src/security/wss/security-header';
import { verifySecurityHeader } from '../../../../src/security/wss/verify';
import { WSS_NS } from '../../../../src/security/wss/constants';
import { XUA_NS } from '../../../../src/security/xua/constants';
import { NS } from '../../../../src/xca/soap/constants';
import { makeTestPki, TEST_SUBJECT, type TestPki } from '../xua/test-pki';
import { at, iti38Envelope, T0 } from './envelope-fixture';

let pki: TestPki;
beforeAll(() => {
  pki = makeTestPki();
});
afterAll(() => pki.cleanup());

describe('buildSecurityHeader', () => {
  it('is one wsse:Security block, mustUnderstand in the envelope namespace, Timestamp first then the assertion', () => {
    const header = buildSecurityHeader({ subject: TEST_SUBJECT, signer: pki.selfSigned, now: T0, timestampSeconds: 120 });
    const security = parseXmlTree(header);
    expect([security.uri, security.local]).toEqual([WSS_NS.wsse, 'Security']);
    expect(security.name).toBe('wsse:Security');
    expect(attrValue(security, 'mustUnderstand', NS.soap12)).toBe('1');
    // The prefix the envelope builder declares (soap) is the one used, bound to the same URI.
    expect(security.attributes.find((a) => a.local === 'mustUnderstand')?.name).toBe('soap:mustUnderstand');
    expect(security.children.map((c) => `${c.uri} ${c.local}`)).toEqual([`${WSS_NS.wsu} Timestamp`, `${XUA_NS.saml2} Assertion`]);
  });

  it('writes wsu:Timestamp with wsu:Id, Created = now and Expires = now + timestampSeconds', () => {
    const header = buildSecurityHeader({ subject: TEST_SUBJECT, signer: pki.selfSigned, now: T0, timestampSeconds: 120 });
    const timestamp = childNamed(parseXmlTree(header), WSS_NS.wsu, 'Timestamp');
    if (!timestamp) throw new Error('no Timestamp');
    expect(attrValue(timestamp, 'Id', WSS_NS.wsu)).toMatch(/^TS-[0-9a-f-]{36}$/);
    expect(textOf(childNamed(timestamp, WSS_NS.wsu, 'Created'))).toBe(T0.toISOString());
    expect(textOf(childNamed(timestamp, WSS_NS.wsu, 'Expires'))).toBe(at(120).toISOString());
  });

  it('defaults the Timestamp to the table lifetime (300 s) and refuses a non-positive one', () => {
    const header = buildSecurityHeader({ subject: TEST_SUBJECT, signer: pki.selfSigned, now: T0 });
    const timestamp = childNamed(parseXmlTree(header), WSS_NS.wsu, 'Timestamp');
    expect(timestamp && textOf(childNamed(timestamp, WSS_NS.wsu, 'Expires'))).toBe(at(300).toISOString());
    expect(() => buildSecurityHeader({ subject: TEST_SUBJECT, signer: pki.selfSigned, timestampSeconds: 0 })).toThrow(RangeError);
  });

  it('survives insertion into the SOAP envelope: the whole ITI-38 message verifies and gives the subject back', () => {
    const envelope = iti38Envelope({ subject: TEST_SUBJECT, signer: pki.selfSigned, now: T0 });
    const root = parseXmlTree(envelope);
    const header = childNamed(root, NS.soap12, 'Header');
    expect(header && childrenNamed(header, WSS_NS.wsse, 'Security')).toHaveLength(1);
    const result = verifySecurityHeader(envelope, { trustedCertsPem: [pki.selfSigned.certPem], now: at(10) });
    expect(result).toEqual({ ok: true, subject: TEST_SUBJECT });
  });

  it('passes issuer and audience through to the assertion', () => {
    const envelope = iti38Envelope({ subject: TEST_SUBJECT, signer: pki.selfSigned, now: T0, issuer: 'urn:example:facade', audience: 'urn:oid:1.2.826.0.1.999.1' });
    expect(envelope).toContain('<saml2:Issuer>urn:example:facade</saml2:Issuer>');
    expect(verifySecurityHeader(envelope, { trustedCertsPem: [pki.selfSigned.certPem], now: T0, audience: 'urn:oid:1.2.826.0.1.999.1' }).ok).toBe(true);
    expect(verifySecurityHeader(envelope, { trustedCertsPem: [pki.selfSigned.certPem], now: T0, audience: 'urn:oid:9.9' })).toMatchObject({ ok: false, code: 'audience' });
  });

  it('keeps CR, non-ASCII and astral characters intact through signing, insertion and verification', () => {
    // The issuer precedes ds:Signature, so an astral character there also proves the signature is sliced at the right offsets.
    const subject = { ...TEST_SUBJECT, subjectName: 'Dr Zoë\r\nÉlodie', organization: 'Clinique 漢字 😀' };
    const envelope = iti38Envelope({ subject, signer: pki.selfSigned, now: T0, issuer: 'urn:example:émetteur:😀' });
    expect(verifySecurityHeader(envelope, { trustedCertsPem: [pki.selfSigned.certPem], now: at(1) })).toEqual({ ok: true, subject });
  });
});
