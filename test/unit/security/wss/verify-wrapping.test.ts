import { verifySecurityHeader } from '../../../../src/security/wss/verify';
import { makeTestPki, TEST_SUBJECT, type TestPki } from '../xua/test-pki';
import { at, iti38Envelope, T0 } from './envelope-fixture';

/**
 * XML signature wrapping (XSW): the signed assertion stays intact somewhere in the message while a forged one
 * (or a forged reference) is placed where a naive reader looks. Every variant must be refused before the subject
 * is read, and the verifier must never return the forged values.
 */

let pki: TestPki;
let envelope: string;
let assertion: string;
let id: string;
beforeAll(() => {
  pki = makeTestPki();
  envelope = iti38Envelope({ subject: TEST_SUBJECT, signer: pki.selfSigned, now: T0 });
  assertion = /<saml2:Assertion[\s\S]*<\/saml2:Assertion>/.exec(envelope)?.[0] ?? '';
  id = /<saml2:Assertion [^>]*\bID="([^"]+)"/.exec(envelope)?.[1] ?? '';
});
afterAll(() => pki.cleanup());

const verify = (xml: string): ReturnType<typeof verifySecurityHeader> => verifySecurityHeader(xml, { trustedCertsPem: [pki.selfSigned.certPem], now: at(5) });

/** A copy of the signed assertion claiming to be someone else (NameID and role changed). */
function forged(newId = id): string {
  return assertion.replace('>uid-5550001<', '>uid-ADMIN<').replace('code="309343006"', 'code="000000000"').replace(`ID="${id}"`, `ID="${newId}"`);
}

describe('signature wrapping attempts are refused', () => {
  it('a forged duplicate (same ID) placed before the signed assertion in wsse:Security', () => {
    const wrapped = envelope.replace(assertion, `${forged()}${assertion}`);
    expect(verify(wrapped)).toEqual({ ok: false, code: 'wrapping', reason: 'the message holds 2 SAML assertions; exactly one is allowed (signature-wrapping guard)' });
  });

  it('the signed assertion moved into a wrapper element, a forged one in its place', () => {
    const wrapped = envelope.replace(assertion, `${forged()}<evil:Wrapper xmlns:evil="urn:example:evil">${assertion}</evil:Wrapper>`);
    expect(verify(wrapped)).toMatchObject({ ok: false, code: 'wrapping' });
  });

  it('the signed assertion moved into the SOAP Body, a forged one with a new ID in the header', () => {
    const moved = envelope.replace(assertion, forged('_forged')).replace('<soap:Body>', `<soap:Body>${assertion}`);
    expect(verify(moved)).toMatchObject({ ok: false, code: 'wrapping' });
  });

  it('the only assertion sits outside wsse:Security', () => {
    const outside = envelope.replace(assertion, '').replace('</soap:Header>', `<evil:Other xmlns:evil="urn:example:evil">${assertion}</evil:Other></soap:Header>`);
    expect(verify(outside)).toEqual({ ok: false, code: 'wrapping', reason: 'the SAML assertion is not a direct child of wsse:Security (signature-wrapping guard)' });
  });

  it("another element carrying the assertion's ID", () => {
    const twin = envelope.replace('</soap:Header>', `<evil:Twin xmlns:evil="urn:example:evil" ID="${id}"/></soap:Header>`);
    expect(verify(twin)).toMatchObject({ ok: false, code: 'wrapping' });
  });

  it('a wsu:Id equal to the assertion ID on the Timestamp', () => {
    const twin = envelope.replace(/wsu:Id="TS-[^"]+"/, `wsu:Id="${id}"`);
    expect(verify(twin)).toMatchObject({ ok: false, code: 'wrapping' });
  });

  it("a Reference that points somewhere other than the assertion's ID", () => {
    const tsId = /wsu:Id="(TS-[^"]+)"/.exec(envelope)?.[1] ?? '';
    const elsewhere = envelope.replace(`URI="#${id}"`, `URI="#${tsId}"`);
    expect(verify(elsewhere)).toEqual({ ok: false, code: 'bad-reference', reason: "the signature's Reference does not point at the assertion's ID" });
  });

  it('a second Reference in SignedInfo', () => {
    const reference = /<ds:Reference[\s\S]*<\/ds:Reference>/.exec(envelope)?.[0] ?? '';
    const doubled = envelope.replace(reference, `${reference}${reference}`);
    expect(verify(doubled)).toEqual({ ok: false, code: 'bad-reference', reason: 'the signature has 2 References; exactly one, to the assertion, is allowed' });
  });

  it('a second ds:Signature inside the assertion', () => {
    const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(envelope)?.[0] ?? '';
    expect(verify(envelope.replace(signature, `${signature}${signature}`))).toMatchObject({ ok: false, code: 'wrapping' });
  });

  it('an empty Reference URI (whole document) is not the assertion', () => {
    expect(verify(envelope.replace(`URI="#${id}"`, 'URI=""'))).toMatchObject({ ok: false, code: 'bad-reference' });
  });

  it('never returns forged values: none of the refusals above leaks a subject', () => {
    const attempts = [envelope.replace(assertion, `${forged()}${assertion}`), envelope.replace(assertion, forged())];
    for (const attempt of attempts) {
      const result = verify(attempt);
      expect(result.ok).toBe(false);
      expect(JSON.stringify(result)).not.toContain('uid-ADMIN');
    }
  });
});
