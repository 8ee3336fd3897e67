import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PUBLIC_FIXTURES as FIXTURES, SOAP_ENVELOPE_XSD as SCHEMA, xmllint, type XmllintResult } from './public-fixtures';
import { verifySecurityHeader } from '../../src/security/wss/verify';
import { XUA_NS } from '../../src/security/xua/constants';
import { readXuaAssertionElement } from '../../src/security/xua/read';
import { descendantsNamed } from '../../src/security/xua/xml-query';
import { parseXmlTree } from '../../src/security/xua/xml-tree';
import { makeTestPki, TEST_SUBJECT, type TestPki } from '../unit/security/xua/test-pki';
import { at, iti38Envelope, T0 } from '../unit/security/wss/envelope-fixture';

/**
 * The outbound WS-Security/XUA header against the public material in PUBLIC_FIXTURES_DIR (default ../shared/fixtures):
 * the whole ITI-38 message validates with soap-envelope-ihe.xsd (xmllint); a wrapper schema that also imports the
 * OASIS SAML 2.0 assertion schema validates our assertion strictly; and the verifier copes with the public signed
 * samples (they are refused for trust, never by a crash) while their XUA attributes read back.
 */
const PUBLIC = path.join(FIXTURES, 'public');

let pki: TestPki;
let dir: string;
let envelope: string;
let strictSchema: string;

/** A wrapper schema: soap-envelope-ihe.xsd (envelope, bodies, hl7 types) plus the SAML 2.0 assertion schema. */
function writeStrictSchema(): string {
  const file = path.join(dir, 'xua-strict.xsd');
  const imports: ReadonlyArray<readonly [string, string]> = [
    ['urn:wrapper:soap-envelope-ihe', SCHEMA],
    [XUA_NS.saml2, path.join(PUBLIC, 'schemas/ipf/saml/sstc-saml-schema-assertion-2.0.xsd')],
  ];
  const body = imports.map(([ns, location]) => `  <xs:import namespace="${ns}" schemaLocation="${location}"/>`).join('\n');
  fs.writeFileSync(file, `<?xml version="1.0"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:wrapper:xua-strict">\n${body}\n</xs:schema>\n`);
  return file;
}

/** xmllint on `xml` written to `name` (its messages name the file). */
function validate(schema: string, xml: string, name: string): XmllintResult {
  const file = path.join(dir, name);
  fs.writeFileSync(file, xml);
  return xmllint({ file }, schema);
}

beforeAll(() => {
  pki = makeTestPki();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xua-xsd-'));
  envelope = iti38Envelope({ subject: TEST_SUBJECT, signer: pki.selfSigned, now: T0, audience: 'https://gateway-a.example.nhs.uk/xca' });
  strictSchema = writeStrictSchema();
});
afterAll(() => {
  pki.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the outbound ITI-38 message with its XUA header validates (xmllint)', () => {
  it('against soap-envelope-ihe.xsd', () => {
    const run = validate(SCHEMA, envelope, 'iti38-xua.xml');
    expect(run.stderr).toMatch(/iti38-xua\.xml validates/);
    expect(run.code).toBe(0);
  });

  it('against the wrapper that also makes the SAML 2.0 assertion schema strict', () => {
    const run = validate(strictSchema, envelope, 'iti38-xua-strict.xml');
    expect(run.stderr).toMatch(/iti38-xua-strict\.xml validates/);
    expect(run.code).toBe(0);
  });

  it('the strict wrapper really checks the assertion: Subject before Issuer fails', () => {
    const issuer = /<saml2:Issuer[\s\S]*?<\/saml2:Issuer>/.exec(envelope)?.[0] ?? '';
    const subject = /<saml2:Subject>[\s\S]*?<\/saml2:Subject>/.exec(envelope)?.[0] ?? '';
    const swapped = envelope.replace(issuer, '\u0000').replace(subject, issuer).replace('\u0000', subject);
    const run = validate(strictSchema, swapped, 'swapped.xml');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/Subject': This element is not expected\. Expected is \( \{urn:oasis:names:tc:SAML:2\.0:assertion\}Issuer \)/);
  });
});

/** Public requests whose wsse:Security carries a really signed XUA assertion (SOURCES.md). */
const SIGNED_SAMPLES: ReadonlyArray<readonly [string, RegExp]> = [
  ['iti38/ehealthsuisse-ITI-18_request_raw.xml', /does not chain to a trusted certificate/],
  ['iti38/metriport-epic-iti-38-request.xml', /does not chain to a trusted certificate/],
  ['iti39/metriport-epic-iti-39-request.xml', /does not chain to a trusted certificate/],
  // Its X509Certificate text is "omitted for brevity".
  ['iti39/ehealthsuisse-ITI-43_request_raw.xml', /not a readable X\.509 certificate/],
  // Its assertion signature has no KeyInfo (the key sits in the holder-of-key SubjectConfirmation).
  ['saml/metriport-valid-saml.xml', /no X509Certificate in KeyInfo/],
];

const readSample = (file: string): string => fs.readFileSync(path.join(PUBLIC, file), 'utf8');
const firstAssertion = (xml: string): ReturnType<typeof readXuaAssertionElement> => {
  const assertion = descendantsNamed(parseXmlTree(xml), XUA_NS.saml2, 'Assertion')[0];
  if (!assertion) throw new Error('no assertion in sample');
  return readXuaAssertionElement(assertion);
};

describe('public signed samples', () => {
  it.each(SIGNED_SAMPLES)('%s is refused for trust, not by a crash', (file, reason) => {
    const result = verifySecurityHeader(readSample(file), { trustedCertsPem: [pki.selfSigned.certPem], now: at(1) });
    expect(result).toMatchObject({ ok: false, code: 'untrusted', reason: expect.stringMatching(reason) });
  });

  it('their XUA attributes read back (Swiss EPR: role HCP, purpose EMER, homeCommunityId)', () => {
    const content = firstAssertion(readSample('iti38/ehealthsuisse-ITI-18_request_raw.xml'));
    expect(content.subject).toMatchObject({
      nameId: '9801003538489',
      role: { code: 'HCP', system: '2.16.756.5.30.1.127.3.10.6', display: 'Healthcare professional' },
      purposeOfUse: { code: 'EMER', system: '2.16.756.5.30.1.127.3.10.5', display: 'Notfallzugriff' },
    });
    expect(Object.keys(content.subject).sort()).toEqual(['homeCommunityId', 'nameId', 'organization', 'organizationId', 'purposeOfUse', 'role', 'subjectName']);
    expect([content.notBefore, content.notOnOrAfter]).toEqual(['2020-09-22T11:18:56.712Z', '2020-09-22T11:33:57.712Z']);
  });

  it('their XUA attributes read back (Carequality: NHIN homeCommunityId alias, SNOMED role, TREATMENT)', () => {
    const content = firstAssertion(readSample('iti38/metriport-epic-iti-38-request.xml'));
    expect(content.subject).toMatchObject({
      subjectName: 'Administrator',
      organization: 'Metriport',
      organizationId: 'urn:oid:2.16.840.1.113883.3.9621',
      homeCommunityId: 'urn:oid:2.16.840.1.113883.3.9621',
      role: { code: '224608005', system: '2.16.840.1.113883.6.96', display: 'Administrator' },
      purposeOfUse: { code: 'TREATMENT', system: '2.16.840.1.113883.3.18.7.1', display: 'Treatment' },
    });
  });

  it('assertions outside a SOAP security header read back, and the verifier says where it looked', () => {
    const xml = readSample('saml/ehealthsuisse-2_Get_X-User_Assertion_Response-Assistant.xml');
    const content = firstAssertion(xml);
    // The assistant's own subject-id sits in SubjectConfirmationData: only the AttributeStatement counts.
    expect(content.subject).toMatchObject({ nameId: '2000000090092', subjectName: 'Martina Musterarzt', organizationId: 'urn:oid:2.2.2.1', homeCommunityId: 'urn:oid:3.3.3.1' });
    expect(verifySecurityHeader(xml, { trustedCertsPem: [pki.selfSigned.certPem] })).toMatchObject({ ok: false, code: 'no-security-header' });
    expect(verifySecurityHeader(readSample('saml/ipf-saml2-assertion-for-xua.xml'), { trustedCertsPem: [pki.selfSigned.certPem] })).toEqual({
      ok: false,
      code: 'malformed',
      reason: 'the message is not a SOAP envelope',
    });
  });
});
