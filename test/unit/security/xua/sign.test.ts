import { X509Certificate } from 'node:crypto';
import { buildSignedAssertion } from '../../../../src/security/xua/sign';
import { readXuaAssertion } from '../../../../src/security/xua/read';
import { XuaError } from '../../../../src/security/xua/errors';
import { DSIG_ALGORITHMS, XUA_NS } from '../../../../src/security/xua/constants';
import { parseXmlTree } from '../../../../src/security/xua/xml-tree';
import { attrValue, childNamed, descendantsNamed, textOf } from '../../../../src/security/xua/xml-query';
import { makeTestPki, TEST_SUBJECT, type TestPki } from './test-pki';

let pki: TestPki;
beforeAll(() => {
  pki = makeTestPki();
});
afterAll(() => pki.cleanup());

const NOW = new Date('2026-01-15T09:30:00.000Z');
const build = (subject = TEST_SUBJECT, opts = {}): string => buildSignedAssertion(subject, pki.selfSigned, { now: NOW, ...opts });
const algorithm = (root: ReturnType<typeof parseXmlTree>, local: string): (string | undefined)[] =>
  descendantsNamed(root, XUA_NS.ds, local).map((e) => attrValue(e, 'Algorithm'));

describe('buildSignedAssertion', () => {
  it('writes the SAML 2.0 element order with the enveloped signature right after Issuer', () => {
    const root = parseXmlTree(build());
    expect([root.uri, root.local, attrValue(root, 'Version'), attrValue(root, 'IssueInstant')]).toEqual([XUA_NS.saml2, 'Assertion', '2.0', NOW.toISOString()]);
    expect(attrValue(root, 'ID')).toMatch(/^_[0-9a-f-]{36}$/);
    expect(root.children.map((c) => c.local)).toEqual(['Issuer', 'Signature', 'Subject', 'Conditions', 'AuthnStatement', 'AttributeStatement']);
  });

  it('signs with RSA-SHA256 and exclusive c14n, one Reference to the assertion ID, the certificate in KeyInfo', () => {
    const root = parseXmlTree(build());
    expect(algorithm(root, 'SignatureMethod')).toEqual([DSIG_ALGORITHMS.rsaSha256]);
    expect(algorithm(root, 'CanonicalizationMethod')).toEqual([DSIG_ALGORITHMS.excC14n]);
    expect(algorithm(root, 'Transform')).toEqual([DSIG_ALGORITHMS.enveloped, DSIG_ALGORITHMS.excC14n]);
    expect(algorithm(root, 'DigestMethod')).toEqual([DSIG_ALGORITHMS.sha256]);
    const references = descendantsNamed(root, XUA_NS.ds, 'Reference');
    expect(references.map((r) => attrValue(r, 'URI'))).toEqual([`#${attrValue(root, 'ID') ?? ''}`]);
    const cert = textOf(descendantsNamed(root, XUA_NS.ds, 'X509Certificate')[0]);
    expect(new X509Certificate(Buffer.from(cert ?? '', 'base64')).fingerprint256).toBe(new X509Certificate(pki.selfSigned.certPem).fingerprint256);
  });

  it('reads back to the subject it was built from', () => {
    const content = readXuaAssertion(build());
    expect(content.subject).toEqual(TEST_SUBJECT);
    expect([content.notBefore, content.notOnOrAfter]).toEqual([NOW.toISOString(), new Date(NOW.getTime() + 300_000).toISOString()]);
    expect(content.audiences).toEqual([]);
  });

  it('writes Subject, AuthnStatement and attributes as the table says (NameFormat uri, bearer, hl7:CE)', () => {
    const xml = build();
    expect(xml).toContain('<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"/>');
    expect(xml).toContain(`<saml2:AuthnStatement AuthnInstant="${NOW.toISOString()}">`);
    expect(xml).toContain(
      '<saml2:Attribute Name="urn:oasis:names:tc:xspa:1.0:subject:organization-id" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri"><saml2:AttributeValue>X26</saml2:AttributeValue></saml2:Attribute>',
    );
    expect(xml).toContain('<hl7:Role xsi:type="hl7:CE" code="309343006" codeSystem="2.16.840.1.113883.6.96" codeSystemName="SNOMED_CT" displayName="Physician"/>');
    expect(xml).toContain('<hl7:PurposeOfUse xsi:type="hl7:CE" code="TREATMENT" codeSystem="2.16.840.1.113883.3.18.7.1" codeSystemName="nhin-purpose" displayName="Treatment"/>');
    expect(xml).toContain('xmlns:hl7="urn:hl7-org:v3"');
  });

  it('defaults the issuer to the certificate subject (X509SubjectName) and honours issuer, audience and validity', () => {
    const byDefault = parseXmlTree(build());
    const issuer = childNamed(byDefault, XUA_NS.saml2, 'Issuer');
    expect(issuer && [textOf(issuer), attrValue(issuer, 'Format')]).toEqual(['CN=facade.test,O=Test Facade\\, Ltd,C=GB', 'urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName']);
    const content = readXuaAssertion(build(TEST_SUBJECT, { issuer: 'urn:example:facade', audience: 'urn:oid:1.2.3', validitySeconds: 60 }));
    expect([content.issuer, content.audiences, content.notOnOrAfter]).toEqual(['urn:example:facade', ['urn:oid:1.2.3'], new Date(NOW.getTime() + 60_000).toISOString()]);
  });

  it('normalises a bare-OID homeCommunityId to urn:oid: and a FHIR system URI to its OID', () => {
    const subject = { ...TEST_SUBJECT, homeCommunityId: '1.2.826.0.1.999.100', role: { code: '309343006', system: 'http://snomed.info/sct' } };
    const content = readXuaAssertion(build(subject));
    expect(content.subject.homeCommunityId).toBe('urn:oid:1.2.826.0.1.999.100');
    expect(content.subject.role).toEqual({ code: '309343006', system: '2.16.840.1.113883.6.96' });
  });

  it('escapes what XML needs escaping and reads it back unchanged', () => {
    const subject = { ...TEST_SUBJECT, subjectName: 'Dr O\'Brien <Locum> & "Co"', organization: 'A & B\tImaging' };
    expect(readXuaAssertion(build(subject)).subject).toMatchObject({ subjectName: subject.subjectName, organization: 'A & B\tImaging' });
  });

  it('refuses an empty value, a code system that is not an OID, and an unusable key, naming the field only', () => {
    expect(() => build({ ...TEST_SUBJECT, organizationId: ' ' })).toThrow(new XuaError('organizationId', 'XUA organizationId is missing or empty'));
    expect(() => build({ ...TEST_SUBJECT, subjectName: undefined as unknown as string })).toThrow(/subjectName is missing/);
    expect(() => build({ ...TEST_SUBJECT, role: { code: 'x', system: 'SNOMED' } })).toThrow(XuaError);
    expect(() => build({ ...TEST_SUBJECT, role: { code: 'x', system: 'SNOMED' } })).toThrow(/role\.system/);
    expect(() => buildSignedAssertion(TEST_SUBJECT, { keyPem: 'nope', certPem: pki.selfSigned.certPem })).toThrow(/signing key/);
    expect(() => buildSignedAssertion(TEST_SUBJECT, { keyPem: pki.selfSigned.keyPem, certPem: 'nope' })).toThrow(/signing certificate/);
  });

  it('gives every assertion a fresh ID', () => {
    expect(readXuaAssertion(build()).id).not.toBe(readXuaAssertion(build()).id);
  });
});
