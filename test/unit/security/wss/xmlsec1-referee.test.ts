import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { XUA_NS } from '../../../../src/security/xua/constants';
import { verifySecurityHeader } from '../../../../src/security/wss/verify';
import { makeTestPki, TEST_SUBJECT, type TestPki } from '../xua/test-pki';
import { at, iti38Envelope, T0 } from './envelope-fixture';
import { changeOneCharacter } from './tamper';

/**
 * xmlsec1 as an independent referee of the signature: the complete outbound ITI-38 message verifies, and a
 * one-character change to any signed element or attribute makes xmlsec1 (and our own verifier) refuse it.
 */

let pki: TestPki;
let envelope: string;

beforeAll(() => {
  pki = makeTestPki();
  envelope = iti38Envelope({ subject: TEST_SUBJECT, signer: pki.selfSigned, now: T0, audience: 'https://gateway-a.example.nhs.uk/xca' });
});
afterAll(() => pki.cleanup());

function xmlsec1(xml: string, trustedPem: string, name: string): { status: number | null; output: string } {
  const file = path.join(pki.dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.xml`);
  fs.writeFileSync(file, xml);
  const run = spawnSync('xmlsec1', ['--verify', '--trusted-pem', trustedPem, '--id-attr:ID', `${XUA_NS.saml2}:Assertion`, file], { encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const trustSelf = (): { trustedCertsPem: string[]; now: Date } => ({ trustedCertsPem: [pki.selfSigned.certPem], now: at(5) });

describe('xmlsec1 verifies the outbound envelope', () => {
  it('passes with the signing certificate as trusted PEM', () => {
    const run = xmlsec1(envelope, pki.selfSigned.certFile, 'pristine');
    expect(run.output).toMatch(/^OK$/m);
    expect(run.output).toContain('SignedInfo References (ok/all): 1/1');
    expect(run.status).toBe(0);
    expect(verifySecurityHeader(envelope, trustSelf())).toEqual({ ok: true, subject: TEST_SUBJECT });
  });

  it('fails when the trusted PEM is somebody else (the referee checks trust too)', () => {
    const run = xmlsec1(envelope, pki.stranger.certFile, 'stranger');
    expect(run.status).not.toBe(0);
  });

  it('passes for a CA-issued signing certificate with the CA as trusted PEM', () => {
    const issued = iti38Envelope({ subject: TEST_SUBJECT, signer: pki.leaf, now: T0 });
    const run = xmlsec1(issued, pki.ca.certFile, 'ca-issued');
    expect(run.status).toBe(0);
    expect(verifySecurityHeader(issued, { trustedCertsPem: [pki.ca.certPem], now: at(5) }).ok).toBe(true);
  });
});

/** Each signed value of the assertion, located by a pattern whose capture is the value to change. */
const SIGNED_VALUES: ReadonlyArray<readonly [string, RegExp]> = [
  ['Assertion ID', /<saml2:Assertion [^>]*\bID="([^"]+)"/],
  ['IssueInstant', /<saml2:Assertion [^>]*\bIssueInstant="([^"]+)Z"/],
  ['Issuer', /<saml2:Issuer[^>]*>([^<]+)<\/saml2:Issuer>/],
  ['NameID', /<saml2:NameID[^>]*>([^<]+)<\/saml2:NameID>/],
  ['NameID Format', /<saml2:NameID Format="([^"]+)"/],
  ['Conditions NotBefore', /<saml2:Conditions NotBefore="([^"]+)Z"/],
  ['Conditions NotOnOrAfter', /<saml2:Conditions [^>]*NotOnOrAfter="([^"]+)Z"/],
  ['Audience', /<saml2:Audience>([^<]+)<\/saml2:Audience>/],
  ['AuthnInstant', /AuthnInstant="([^"]+)Z"/],
  ['subject-id Name', /Name="(urn:oasis:names:tc:xspa:1.0:subject:subject-id)"/],
  ['subject-id value', /subject:subject-id"[^>]*><saml2:AttributeValue>([^<]+)</],
  ['organization value', /subject:organization"[^>]*><saml2:AttributeValue>([^<]+)</],
  ['organization-id value', /subject:organization-id"[^>]*><saml2:AttributeValue>([^<]+)</],
  ['homeCommunityId value', /homeCommunityId"[^>]*><saml2:AttributeValue>([^<]+)</],
  ['role code', /<hl7:Role [^>]*\bcode="([^"]+)"/],
  ['role codeSystem', /<hl7:Role [^>]*\bcodeSystem="([^"]+)"/],
  ['role displayName', /<hl7:Role [^>]*\bdisplayName="([^"]+)"/],
  ['purposeOfUse code', /<hl7:PurposeOfUse [^>]*\bcode="([^"]+)"/],
  ['purposeOfUse codeSystem', /<hl7:PurposeOfUse [^>]*\bcodeSystem="([^"]+)"/],
  ['purposeOfUse displayName', /<hl7:PurposeOfUse [^>]*\bdisplayName="([^"]+)"/],
];

describe('a one-character change to a signed value is refused', () => {
  it.each(SIGNED_VALUES)('%s: xmlsec1 fails', (name, pattern) => {
    const tampered = changeOneCharacter(envelope, pattern);
    expect(tampered).not.toBe(envelope);
    const run = xmlsec1(tampered, pki.selfSigned.certFile, name);
    expect(run.status).not.toBe(0);
    expect(run.output).not.toMatch(/^OK$/m);
    // The failure is the reference check (digest mismatch, or the ID no longer found), not a parse error.
    expect(run.output).toContain('SignedInfo References (ok/all): 0/1');
  });

  it.each(SIGNED_VALUES)('%s: verifySecurityHeader refuses', (_name, pattern) => {
    const result = verifySecurityHeader(changeOneCharacter(envelope, pattern), trustSelf());
    expect(result.ok).toBe(false);
    // The ID change breaks the Reference before any digest is computed; every other change breaks the digest.
    expect(result).toMatchObject({ code: expect.stringMatching(/^(bad-signature|bad-reference)$/) });
  });
});
