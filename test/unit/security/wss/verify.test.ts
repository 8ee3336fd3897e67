import { SignedXml } from 'xml-crypto';
import { verifySecurityHeader } from '../../../../src/security/wss/verify';
import { renderUnsignedAssertion } from '../../../../src/security/xua/assertion';
import { signAssertion } from '../../../../src/security/xua/sign';
import { makeTestPki, TEST_SUBJECT, type TestPki } from '../xua/test-pki';
import { at, iti38Envelope, T0 } from './envelope-fixture';

let pki: TestPki;
let envelope: string;
beforeAll(() => {
  pki = makeTestPki();
  envelope = iti38Envelope({ subject: TEST_SUBJECT, signer: pki.selfSigned, now: T0 });
});
afterAll(() => pki.cleanup());

const ASSERTION = /<saml2:Assertion[\s\S]*<\/saml2:Assertion>/;
const trusted = (now = at(5)): { trustedCertsPem: string[]; now: Date } => ({ trustedCertsPem: [pki.selfSigned.certPem], now });

/** The envelope with its assertion replaced by `assertion`. */
function withAssertion(assertion: string): string {
  return envelope.replace(ASSERTION, () => assertion);
}

function unsignedAssertion(): string {
  return renderUnsignedAssertion({ id: '_test-assertion', subject: TEST_SUBJECT, issuer: { value: 'urn:example:facade' }, now: T0, validitySeconds: 300 });
}

describe('verifySecurityHeader accepts', () => {
  it('our envelope, giving back exactly the subject that was signed', () => {
    expect(verifySecurityHeader(envelope, trusted())).toEqual({ ok: true, subject: TEST_SUBJECT });
  });

  it('a signing certificate issued by a trusted CA, also when the CA comes in a PEM bundle', () => {
    const issued = iti38Envelope({ subject: TEST_SUBJECT, signer: pki.leaf, now: T0 });
    expect(verifySecurityHeader(issued, { trustedCertsPem: [`${pki.stranger.certPem}\n${pki.ca.certPem}`], now: at(5) }).ok).toBe(true);
  });

  it('whitespace added around the assertion (outside the signed bytes)', () => {
    const spaced = envelope.replace('<saml2:Assertion', '\n      <saml2:Assertion').replace('</wsse:Security>', '\n    </wsse:Security>');
    expect(verifySecurityHeader(spaced, trusted()).ok).toBe(true);
  });

  it('a comment slipped into the NameID, reading the whole value (no truncation at the comment)', () => {
    const commented = envelope.replace('>uid-5550001<', '>uid-555<!-- x -->0001<');
    expect(verifySecurityHeader(commented, trusted())).toMatchObject({ ok: true, subject: { nameId: 'uid-5550001' } });
  });
});

describe('verifySecurityHeader refuses, with a clear reason', () => {
  it('an expired Timestamp', () => {
    const short = iti38Envelope({ subject: TEST_SUBJECT, signer: pki.selfSigned, now: T0, timestampSeconds: 60, assertionSeconds: 3600 });
    expect(verifySecurityHeader(short, { ...trusted(at(61)), clockSkewSeconds: 0 })).toEqual({
      ok: false,
      code: 'expired-timestamp',
      reason: 'the wsu:Timestamp has expired (wsu:Expires has passed)',
    });
    // Within the default skew (60 s) it is still accepted.
    expect(verifySecurityHeader(short, trusted(at(90))).ok).toBe(true);
  });

  it('an expired assertion (Conditions NotOnOrAfter passed, Timestamp still fresh)', () => {
    const short = iti38Envelope({ subject: TEST_SUBJECT, signer: pki.selfSigned, now: T0, timestampSeconds: 3600, assertionSeconds: 60 });
    const result = verifySecurityHeader(short, { ...trusted(at(120)), clockSkewSeconds: 0 });
    expect(result).toMatchObject({ ok: false, code: 'expired-assertion' });
    expect(result.ok || result.reason).toMatch(/NotOnOrAfter/);
  });

  it('a message created in the future (beyond the skew)', () => {
    const future = iti38Envelope({ subject: TEST_SUBJECT, signer: pki.selfSigned, now: at(600) });
    expect(verifySecurityHeader(future, trusted(at(5)))).toMatchObject({ ok: false, code: 'not-yet-valid' });
  });

  it('an untrusted signing certificate', () => {
    const result = verifySecurityHeader(envelope, { trustedCertsPem: [pki.stranger.certPem], now: at(5) });
    expect(result).toEqual({ ok: false, code: 'untrusted', reason: 'the signing certificate does not chain to a trusted certificate' });
  });

  it('a CA-issued certificate when only an unrelated certificate is trusted', () => {
    const issued = iti38Envelope({ subject: TEST_SUBJECT, signer: pki.leaf, now: T0 });
    expect(verifySecurityHeader(issued, { trustedCertsPem: [pki.selfSigned.certPem], now: at(5) })).toMatchObject({ ok: false, code: 'untrusted' });
  });

  it('an expired signing certificate', () => {
    const result = verifySecurityHeader(envelope, { ...trusted(at(3 * 86400)), clockSkewSeconds: 0 });
    expect(result).toMatchObject({ ok: false, code: 'untrusted' });
    expect(result.ok || result.reason).toMatch(/expired/);
  });

  it('an assertion re-signed by an attacker with their own key and certificate', () => {
    const forged = signAssertion(unsignedAssertion(), pki.stranger);
    expect(verifySecurityHeader(withAssertion(forged), trusted())).toMatchObject({ ok: false, code: 'untrusted' });
  });

  it('a missing signature', () => {
    const unsigned = envelope.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '');
    expect(verifySecurityHeader(unsigned, trusted())).toEqual({ ok: false, code: 'no-signature', reason: 'the SAML assertion is not signed (no ds:Signature)' });
  });

  it('a changed SignatureValue', () => {
    const broken = envelope.replace(/(<ds:SignatureValue>)(.)/, (_m, open: string, first: string) => `${open}${first === 'A' ? 'B' : 'A'}`);
    expect(verifySecurityHeader(broken, trusted())).toMatchObject({ ok: false, code: 'bad-signature' });
  });

  it('a signature made with a weaker algorithm (RSA-SHA1)', () => {
    const sig = new SignedXml({
      privateKey: pki.selfSigned.keyPem,
      publicCert: pki.selfSigned.certPem,
      signatureAlgorithm: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
      canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    });
    sig.addReference({
      xpath: "/*[local-name(.)='Assertion']",
      transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
      digestAlgorithm: 'http://www.w3.org/2000/09/xmldsig#sha1',
    });
    sig.computeSignature(unsignedAssertion(), { prefix: 'ds', location: { reference: "/*/*[local-name(.)='Issuer']", action: 'after' } });
    expect(verifySecurityHeader(withAssertion(sig.getSignedXml()), trusted())).toMatchObject({ ok: false, code: 'algorithm' });
  });

  it('a validly signed assertion that lacks an XUA attribute', () => {
    const lacking = unsignedAssertion().replace(/<saml2:Attribute Name="urn:oasis:names:tc:xspa:1.0:subject:organization"[\s\S]*?<\/saml2:Attribute>/, '');
    const result = verifySecurityHeader(withAssertion(signAssertion(lacking, pki.selfSigned)), trusted());
    expect(result).toEqual({ ok: false, code: 'missing-attribute', reason: 'the SAML assertion lacks XUA attribute(s): organization' });
  });

  it('a message without Timestamp, without Security header, or that is not SOAP', () => {
    expect(verifySecurityHeader(envelope.replace(/<wsu:Timestamp[\s\S]*<\/wsu:Timestamp>/, ''), trusted())).toMatchObject({ ok: false, code: 'no-timestamp' });
    expect(verifySecurityHeader(envelope.replace(/<wsse:Security[\s\S]*<\/wsse:Security>/, ''), trusted())).toMatchObject({ ok: false, code: 'no-security-header' });
    expect(verifySecurityHeader('<a/>', trusted())).toEqual({ ok: false, code: 'malformed', reason: 'the message is not a SOAP envelope' });
    expect(verifySecurityHeader('not xml at all', trusted())).toMatchObject({ ok: false, code: 'malformed' });
  });

  it('a DOCTYPE (entity expansion, external entities) before anything else', () => {
    const bomb = `<?xml version="1.0"?>\n<!DOCTYPE e [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>\n${envelope.replace(/^<\?xml[^>]*>\n/, '')}`;
    expect(verifySecurityHeader(bomb, trusted())).toEqual({ ok: false, code: 'malformed', reason: 'the message is not acceptable XML: a DOCTYPE is not allowed' });
  });

  it('an unreadable trust list is a configuration error of the verifier, thrown', () => {
    expect(() => verifySecurityHeader(envelope, { trustedCertsPem: ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'] })).toThrow(TypeError);
  });
});
