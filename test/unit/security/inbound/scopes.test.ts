import { AuthError } from '../../../../src/security/inbound/errors';
import { grantingContexts, parseScope, requireScope, scopesFromClaims } from '../../../../src/security/inbound/scopes';
import type { Caller } from '../../../../src/security/inbound/types';

const base: Caller = {
  subject: 'user-1', subjectName: 'User One', organization: 'Org', organizationId: 'RR8',
  role: { system: 'https://fhir.nhs.uk/CodeSystem/NHSDigital-SDS-JobRoleCode', code: 'R8000' },
  purposeOfUse: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT' },
  scopes: [], via: 'jwt',
};
const withScopes = (...scopes: string[]): Caller => ({ ...base, scopes });

describe('parseScope', () => {
  test.each([
    ['user/DocumentReference.read', true, true],
    ['system/*.read', true, true],
    ['patient/Binary.*', true, true],
    ['user/DocumentReference.r', true, false],
    ['user/DocumentReference.s', false, true],
    ['user/DocumentReference.rs', true, true],
    ['system/ImagingStudy.cruds', true, true],
    ['system/ImagingStudy.cr', true, false],
  ])('%s grants read=%s search=%s', (scope, read, search) => {
    expect(parseScope(scope)).toMatchObject({ read, search });
  });

  test.each([
    'user/DocumentReference.write', // v1 write grants no read
    'user/DocumentReference.c', // v2 create only
    'user/DocumentReference.sr', // v2 letters out of order
    'user/DocumentReference.rs?category=http://loinc.org|18748-4', // granular: cannot be enforced here
    'openid', 'launch/patient', 'fhirUser', 'DocumentReference.read', 'admin/DocumentReference.read',
  ])('%s grants nothing', (scope) => {
    expect(parseScope(scope)).toBeUndefined();
  });
});

describe('requireScope', () => {
  test('v1 .read covers read and search', () => {
    const caller = withScopes('user/DocumentReference.read');
    expect(requireScope(caller, 'DocumentReference', 'read')).toBe('user');
    expect(requireScope(caller, 'DocumentReference', 'search')).toBe('user');
  });

  test('v2 letters are honoured one by one', () => {
    const caller = withScopes('system/Binary.r', 'system/DocumentReference.s');
    expect(requireScope(caller, 'Binary', 'read')).toBe('system');
    expect(requireScope(caller, 'DocumentReference', 'search')).toBe('system');
    expect(() => requireScope(caller, 'Binary', 'search')).toThrow(AuthError);
    expect(() => requireScope(caller, 'DocumentReference', 'read')).toThrow(AuthError);
  });

  test('the wildcard type covers every resource; the broadest context wins', () => {
    const caller = withScopes('patient/DocumentReference.rs', 'system/*.rs');
    expect(requireScope(caller, 'ImagingStudy', 'read')).toBe('system');
    expect(grantingContexts(caller, 'DocumentReference', 'search')).toEqual(['system', 'patient']);
  });

  test('a missing scope is a 403 insufficient_scope naming the scope needed', () => {
    const caller = withScopes('user/Binary.r');
    const err = (() => {
      try {
        requireScope(caller, 'DocumentReference', 'search');
        return undefined;
      } catch (e) {
        return e as AuthError;
      }
    })();
    expect(err).toBeInstanceOf(AuthError);
    expect(err?.code).toBe('FORBIDDEN');
    expect(err?.status).toBe(403);
    expect(err?.message).toContain('user/DocumentReference.s');
    expect(err?.wwwAuthenticate).toBe(
      'Bearer realm="mhd-xca-facade", error="insufficient_scope", error_description="The access token does not allow search on DocumentReference: it needs scope user/DocumentReference.s (or .rs, or SMART v1 .read)", scope="user/DocumentReference.s"',
    );
  });

  test('a caller without resource scopes is told the system/ form when it is not a token user', () => {
    expect(() => requireScope({ ...base, via: 'client-certificate' }, 'Binary', 'read')).toThrow('system/Binary.r');
  });
});

describe('scopesFromClaims', () => {
  test('scope string, scp array, scp string, merged without repeats', () => {
    expect(scopesFromClaims('a/B.r  c/D.s', undefined)).toEqual(['a/B.r', 'c/D.s']);
    expect(scopesFromClaims(undefined, ['a/B.r', 'c/D.s'])).toEqual(['a/B.r', 'c/D.s']);
    expect(scopesFromClaims(undefined, 'a/B.r')).toEqual(['a/B.r']);
    expect(scopesFromClaims('a/B.r', ['a/B.r', 'x/Y.s'])).toEqual(['a/B.r', 'x/Y.s']);
    expect(scopesFromClaims(undefined, undefined)).toEqual([]);
  });

  test('anything else is malformed', () => {
    expect(scopesFromClaims(42, undefined)).toBeUndefined();
    expect(scopesFromClaims(undefined, ['ok', 3])).toBeUndefined();
  });
});
