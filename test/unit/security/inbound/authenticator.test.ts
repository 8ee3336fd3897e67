import { createAuthenticator } from '../../../../src/security/inbound/authenticator';
import { AuthError } from '../../../../src/security/inbound/errors';
import { FacadeError } from '../../../../src/errors/facade-error';
import type { Authenticator } from '../../../../src/security/inbound/types';
import { AUDIENCE, goodClaims, ISSUER, keyConfusionToken, NOW, startIssuer, token, unsecuredToken, type Issuer } from './jwt-kit';

let issuer: Issuer;
let remote: Authenticator;

beforeAll(async () => {
  issuer = await startIssuer();
  remote = createAuthenticator({ jwksUrl: issuer.jwksUrl, issuer: ISSUER, audience: AUDIENCE, clockToleranceSeconds: 60, now: () => NOW });
});
afterAll(() => issuer.close());

const bearer = (jwt: string) => ({ authorization: `Bearer ${jwt}` });

/** Expect a 401 invalid_token whose description contains `description`. */
async function expectInvalid(promise: Promise<unknown>, description: string): Promise<AuthError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AuthError);
  const auth = err as AuthError;
  expect(auth.status).toBe(401);
  expect(auth.code).toBe('ACCESS_DENIED');
  expect(auth.wwwAuthenticate).toMatch(/^Bearer realm="mhd-xca-facade", error="invalid_token", error_description="[^"]+"$/);
  expect(auth.wwwAuthenticate).toContain(description);
  return auth;
}

describe('a good token', () => {
  test('RS256 from the remote JWKS maps to a Caller with the table attributes and scopes', async () => {
    const caller = await remote.authenticate(bearer(await token(issuer.rsa)));
    expect(caller).toEqual({
      subject: 'user-123',
      subjectName: 'Dr Ada Lovelace',
      organizationId: 'RR8',
      organization: 'Leeds Teaching Hospitals',
      role: { system: 'https://fhir.nhs.uk/CodeSystem/NHSDigital-SDS-JobRoleCode', code: 'S0030:G0100:R8000', display: 'Clinical Practitioner Access Role' },
      purposeOfUse: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT', display: 'treatment' },
      scopes: ['user/DocumentReference.rs', 'user/Binary.r'],
      via: 'jwt',
      issuer: ISSUER,
      clientId: 'viewer-app',
      tokenId: 'token-1',
    });
    expect(issuer.fetches()).toBeGreaterThanOrEqual(1);
  });

  test('ES256 from a local JWKS file, scp as an array, lower-case scheme', async () => {
    const local = createAuthenticator({ jwksFile: issuer.jwksFile, issuer: ISSUER, audience: AUDIENCE, now: () => NOW });
    const claims = goodClaims({ scope: undefined, scp: ['system/DocumentReference.read', 'system/Binary.read'] });
    const caller = await local.authenticate({ authorization: `bearer ${await token(issuer.ec, claims)}` });
    expect(caller.scopes).toEqual(['system/DocumentReference.read', 'system/Binary.read']);
    expect(caller.subject).toBe('user-123');
  });

  test('the JWKS is fetched once and cached across requests', async () => {
    const before = issuer.fetches();
    await remote.authenticate(bearer(await token(issuer.rsa)));
    await remote.authenticate(bearer(await token(issuer.ec)));
    expect(issuer.fetches()).toBe(before);
  });
});

describe('time claims, 60 s tolerance', () => {
  test('expired 59 s ago is accepted, 61 s ago is refused', async () => {
    await expect(remote.authenticate(bearer(await token(issuer.rsa, goodClaims(), { expIn: -59 })))).resolves.toMatchObject({ subject: 'user-123' });
    await expectInvalid(remote.authenticate(bearer(await token(issuer.rsa, goodClaims(), { expIn: -61 }))), 'the token has expired');
  });

  test('nbf 59 s ahead is accepted, 61 s ahead is refused', async () => {
    await expect(remote.authenticate(bearer(await token(issuer.rsa, goodClaims(), { nbfIn: 59 })))).resolves.toMatchObject({ via: 'jwt' });
    await expectInvalid(remote.authenticate(bearer(await token(issuer.rsa, goodClaims(), { nbfIn: 61 }))), 'not valid yet');
  });

  test('a token without exp is refused (it would never expire)', async () => {
    await expectInvalid(remote.authenticate(bearer(await token(issuer.rsa, goodClaims(), { expIn: null }))), 'exp claim is missing');
  });

  test('a tolerance above 60 s is refused at construction', () => {
    expect(() => createAuthenticator({ jwksFile: issuer.jwksFile, issuer: ISSUER, audience: AUDIENCE, clockToleranceSeconds: 61 })).toThrow(TypeError);
  });
});

describe('refused tokens: 401 invalid_token', () => {
  test('wrong issuer', async () => {
    await expectInvalid(remote.authenticate(bearer(await token(issuer.rsa, goodClaims(), { iss: 'https://evil.invalid' }))), 'unexpected token issuer');
  });

  test('wrong audience', async () => {
    await expectInvalid(remote.authenticate(bearer(await token(issuer.rsa, goodClaims(), { aud: 'https://other.invalid' }))), 'unexpected token audience');
  });

  test('alg none (hand-built unsecured JWT)', async () => {
    await expectInvalid(remote.authenticate(bearer(unsecuredToken())), 'signing algorithm not accepted');
  });

  test('HS256 signed with the RSA public key PEM as secret (key confusion)', async () => {
    await expectInvalid(remote.authenticate(bearer(keyConfusionToken(issuer.rsa))), 'signing algorithm not accepted');
  });

  test('unknown kid', async () => {
    await expectInvalid(remote.authenticate(bearer(await token(issuer.stranger))), 'no key of the issuer matches');
  });

  test('a known kid with a signature by another key', async () => {
    await expectInvalid(remote.authenticate(bearer(await token(issuer.stranger, goodClaims(), { kid: issuer.rsa.kid }))), 'signature verification failed');
  });

  test('garbage', async () => {
    await expectInvalid(remote.authenticate(bearer('garbage')), 'malformed token');
    await expectInvalid(remote.authenticate(bearer('a.b.c')), 'malformed token');
    await expectInvalid(remote.authenticate({ authorization: 'Bearer two tokens' }), 'malformed token');
  });

  test('a verified token with unusable claims', async () => {
    await expectInvalid(remote.authenticate(bearer(await token(issuer.rsa, goodClaims({ ods: undefined })))), 'lacks the ods claim');
    await expectInvalid(remote.authenticate(bearer(await token(issuer.rsa, goodClaims({ purpose_of_use: 'MARKETING' })))), 'purpose of use');
    await expectInvalid(remote.authenticate(bearer(await token(issuer.rsa, goodClaims({ role: 'doctor' })))), 'role');
    await expectInvalid(remote.authenticate(bearer(await token(issuer.rsa, goodClaims({ scope: 42 })))), 'scope');
  });
});

describe('no credentials: 401 with a bare challenge (RFC 6750 3.1)', () => {
  test.each([[{}], [{ authorization: '' }], [{ authorization: 'Basic dXNlcjpwYXNz' }]])('%j', async (input) => {
    const err = await remote.authenticate(input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).status).toBe(401);
    expect((err as AuthError).wwwAuthenticate).toBe('Bearer realm="mhd-xca-facade"');
    expect((err as AuthError).headers).toEqual({ 'WWW-Authenticate': 'Bearer realm="mhd-xca-facade"' });
  });
});

describe('key source failures are ours, not the caller\'s', () => {
  test('an unreachable JWKS gives 503 SERVICE_UNAVAILABLE, not 401', async () => {
    const down = createAuthenticator({ jwksUrl: 'http://127.0.0.1:9/jwks.json', issuer: ISSUER, audience: AUDIENCE, now: () => NOW });
    const err = await down.authenticate(bearer(await token(issuer.rsa))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FacadeError);
    expect((err as FacadeError).code).toBe('SERVICE_UNAVAILABLE');
    expect((err as FacadeError).status).toBe(503);
  });

  test('plain http JWKS is refused off loopback', () => {
    expect(() => createAuthenticator({ jwksUrl: 'http://issuer.example/jwks.json', issuer: ISSUER, audience: AUDIENCE })).toThrow(/https/);
  });
});
