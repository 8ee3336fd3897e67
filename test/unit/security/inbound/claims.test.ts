import { brokenCopy, type Mutable } from '../../mappings/broken-copy';
import { createAuthenticator } from '../../../../src/security/inbound/authenticator';
import { accessContextOf, callerFromCertificate, callerFromClaims, ClaimError, sandboxCaller } from '../../../../src/security/inbound/claims';
import { loadAuthClaims, type AuthClaimsTable, type CertificateSubject } from '../../../../src/security/inbound/claims-table';
import { AuthError } from '../../../../src/security/inbound/errors';
import { MappingTableError } from '../../../../src/mappings/load';
import { AUDIENCE, ISSUER, NOW, startIssuer, token } from './jwt-kit';

const FINGERPRINT = 'AB:'.repeat(31) + 'CD';
const CN = 'pacs-bridge.rr8.nhs.uk';

function tableWithCertificate(entry: Partial<CertificateSubject> = {}): AuthClaimsTable {
  const { dir } = brokenCopy<AuthClaimsTable>('auth-claims', (t) => {
    t.clientCertificates.subjects[CN] = {
      organizationId: 'RR8', organization: 'Leeds Teaching Hospitals', role: 'R8003', purposeOfUse: 'OPERATIONS',
      scopes: ['system/DocumentReference.rs', 'system/Binary.r'], fingerprint256: FINGERPRINT, ...entry,
    } as never;
  });
  return loadAuthClaims(dir);
}

describe('JWT claims -> Caller through mappings/auth-claims.json', () => {
  test('absent name and org_name fall back to sub and ods; absent purpose_of_use is TREATMENT', () => {
    const caller = callerFromClaims({ sub: 'u1', ods: 'RR8', role: 'R8001' });
    expect(caller).toMatchObject({ subject: 'u1', subjectName: 'u1', organizationId: 'RR8', organization: 'RR8', scopes: [] });
    expect(caller.role).toEqual({ system: 'https://fhir.nhs.uk/CodeSystem/NHSDigital-SDS-JobRoleCode', code: 'R8001', display: 'Nurse Access Role' });
    expect(caller.purposeOfUse).toEqual({ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT', display: 'treatment' });
    expect(caller).not.toHaveProperty('clientId');
  });

  test('XSPA words and ActReason codes both map to the ActReason coding', () => {
    expect(callerFromClaims({ sub: 'u1', ods: 'RR8', role: 'R8000', purpose_of_use: 'EMERGENCY' }).purposeOfUse.code).toBe('ETREAT');
    expect(callerFromClaims({ sub: 'u1', ods: 'RR8', role: 'R8000', purpose_of_use: 'PATRQT' }).purposeOfUse.code).toBe('PATRQT');
  });

  test('a role code unknown to the display list is kept without display', () => {
    expect(callerFromClaims({ sub: 'u1', ods: 'RR8', role: 'R9999' }).role).toEqual({ system: 'https://fhir.nhs.uk/CodeSystem/NHSDigital-SDS-JobRoleCode', code: 'R9999' });
  });

  test.each([
    [{ ods: 'RR8', role: 'R8000' }, 'sub'],
    [{ sub: 'u1', ods: 'not an ods code', role: 'R8000' }, 'ODS'],
    [{ sub: 'u1', ods: 'RR8', role: ['R8000'] }, 'role'],
    [{ sub: 'x'.repeat(257), ods: 'RR8', role: 'R8000' }, 'sub'],
    [{ sub: 'line\nbreak', ods: 'RR8', role: 'R8000' }, 'sub'],
  ])('%j is refused (%s)', (claims, what) => {
    expect(() => callerFromClaims(claims)).toThrow(ClaimError);
    expect(() => callerFromClaims(claims)).toThrow(what);
  });
});

describe('client certificates', () => {
  const table = tableWithCertificate();

  test('a trusted, registered certificate is a caller with the configured scopes', () => {
    const caller = callerFromCertificate({ subjectCN: CN, fingerprint256: FINGERPRINT.toLowerCase().replace(/:/g, ''), trusted: true }, table);
    expect(caller).toEqual({
      subject: CN, subjectName: CN, organizationId: 'RR8', organization: 'Leeds Teaching Hospitals',
      role: { system: 'https://fhir.nhs.uk/CodeSystem/NHSDigital-SDS-JobRoleCode', code: 'R8003', display: 'Health Professional Access Role' },
      purposeOfUse: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'HOPERAT', display: 'healthcare operations' },
      scopes: ['system/DocumentReference.rs', 'system/Binary.r'], via: 'client-certificate', clientId: CN,
    });
  });

  test('untrusted: 401; unregistered or not the pinned certificate: 403', () => {
    const refusal = (cert: Parameters<typeof callerFromCertificate>[0]) => {
      try {
        callerFromCertificate(cert, table);
        return undefined;
      } catch (err) {
        return err as AuthError;
      }
    };
    expect(refusal({ subjectCN: CN, fingerprint256: FINGERPRINT, trusted: false })?.status).toBe(401);
    expect(refusal({ fingerprint256: FINGERPRINT, trusted: true })?.status).toBe(401);
    expect(refusal({ subjectCN: 'someone-else', fingerprint256: FINGERPRINT, trusted: true })?.status).toBe(403);
    expect(refusal({ subjectCN: CN, fingerprint256: '00'.repeat(32), trusted: true })?.status).toBe(403);
  });

  test('a certificate past its validity is no credential (401), though the connection that verified it is still open', () => {
    const cert = { subjectCN: CN, fingerprint256: FINGERPRINT, trusted: true, validTo: '2026-11-24T10:00:00.000Z' };
    expect(callerFromCertificate(cert, table, undefined, new Date('2026-11-24T09:59:59.999Z')).subject).toBe(CN);
    let refusal: AuthError | undefined;
    try {
      callerFromCertificate(cert, table, undefined, new Date('2026-11-24T10:00:00.001Z'));
    } catch (err) {
      refusal = err as AuthError;
    }
    expect(refusal?.status).toBe(401);
    expect(refusal?.message).toMatch(/expired at 2026-11-24T10:00:00.000Z/);
  });

  test('the authenticator uses the certificate only when no Authorization header is sent', async () => {
    const issuer = await startIssuer();
    try {
      const auth = createAuthenticator({ jwksUrl: issuer.jwksUrl, issuer: ISSUER, audience: AUDIENCE, now: () => NOW, claims: table });
      const cert = { subjectCN: CN, fingerprint256: FINGERPRINT, trusted: true };
      expect((await auth.authenticate({ clientCertificate: cert })).via).toBe('client-certificate');
      expect((await auth.authenticate({ clientCertificate: cert, authorization: `Bearer ${await token(issuer.rsa)}` })).via).toBe('jwt');
      await expect(auth.authenticate({ clientCertificate: cert, authorization: 'Bearer junk' })).rejects.toMatchObject({ status: 401 });
    } finally {
      await issuer.close();
    }
  });
});

describe('accessContextOf and sandboxCaller', () => {
  test('same organisation, role and purpose share a context whoever the person is; any difference separates', () => {
    const a = callerFromClaims({ sub: 'u1', ods: 'RR8', role: 'R8000' });
    expect(accessContextOf(a)).toBe(accessContextOf(callerFromClaims({ sub: 'u2', name: 'Other', ods: 'RR8', role: 'R8000' })));
    expect(accessContextOf(a)).not.toBe(accessContextOf(callerFromClaims({ sub: 'u1', ods: 'RR9', role: 'R8000' })));
    expect(accessContextOf(a)).not.toBe(accessContextOf(callerFromClaims({ sub: 'u1', ods: 'RR8', role: 'R8001' })));
    expect(accessContextOf(a)).not.toBe(accessContextOf(callerFromClaims({ sub: 'u1', ods: 'RR8', role: 'R8000', purpose_of_use: 'EMERGENCY' })));
    expect(accessContextOf(a)).toBe('RR8|https%3A%2F%2Ffhir.nhs.uk%2FCodeSystem%2FNHSDigital-SDS-JobRoleCode|R8000|http%3A%2F%2Fterminology.hl7.org%2FCodeSystem%2Fv3-ActReason|TREAT');
  });

  test('the sandbox caller comes from the table and may read and search everything', () => {
    expect(sandboxCaller()).toMatchObject({ subject: 'sandbox-user', organizationId: 'SANDBOX', via: 'sandbox-open', scopes: ['system/*.rs'] });
  });
});

describe('the table is validated at load', () => {
  test('the shipped table loads', () => {
    expect(loadAuthClaims().attributes.subject.claim).toBe('sub');
  });

  const entry = (role: string, purposeOfUse: string) => ({ organizationId: 'RR8', organization: 'o', role, purposeOfUse, scopes: ['system/*.rs'] });
  test.each<[string, (t: Mutable<AuthClaimsTable>) => void]>([
    ['a default purpose that is not listed', (t) => { t.purposesOfUse.default = 'NOPE'; }],
    ['a certificate entry with a bad role', (t) => { t.clientCertificates.subjects.x = entry('doctor', 'TREATMENT'); }],
    ['a certificate entry with an unlisted purpose', (t) => { t.clientCertificates.subjects.x = entry('R8000', 'SPYING'); }],
    ['a sandbox scope that is not SMART', (t) => { t.sandbox.scopes = ['everything']; }],
    ['an unknown attribute key', (t) => { Object.assign(t.attributes, { favourite: { $comment: 'x', claim: 'fav', required: false } }); }],
  ])('%s is refused', (_what, mutate) => {
    const { dir } = brokenCopy<AuthClaimsTable>('auth-claims', mutate);
    expect(() => loadAuthClaims(dir)).toThrow(MappingTableError);
  });
});
