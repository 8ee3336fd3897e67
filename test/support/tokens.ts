import os from 'node:os';
import path from 'node:path';
import { createDemoSigningKey, DEMO_AUDIENCE, DEMO_ISSUER, mintDemoToken, readDemoSigningKey, type DemoSigningKey } from '../../src/security/inbound';

/** A demo token issuer shared by the tests of one process (a real JWKS file, real signed JWTs). */
const DIR = path.join(os.tmpdir(), `mxf-test-issuer-${process.pid}`);
let key: Promise<DemoSigningKey> | undefined;

export function testIssuer(): Promise<DemoSigningKey> {
  key ??= Promise.resolve(readDemoSigningKey(DIR)).then((k) => k ?? createDemoSigningKey(DIR));
  return key;
}

export const ALL_SCOPES = 'user/DocumentReference.rs user/Binary.r user/ImagingStudy.rs user/AuditEvent.rs';

/** Environment that makes a configured facade trust the test issuer. */
export async function authEnv(): Promise<Record<string, string>> {
  const k = await testIssuer();
  return { AUTH_JWKS_FILE: k.jwksFile, AUTH_ISSUER: DEMO_ISSUER, AUTH_AUDIENCE: DEMO_AUDIENCE, HOME_COMMUNITY_ID: 'urn:oid:2.999.1.99' };
}

/** A bearer token from the test issuer, with the given claims over a sensible default caller. */
export async function testToken(claims: Record<string, unknown> = {}, expiresInSeconds = 600): Promise<string> {
  const k = await testIssuer();
  return mintDemoToken({
    privateJwk: k.privateJwk,
    kid: k.kid,
    issuer: DEMO_ISSUER,
    audience: DEMO_AUDIENCE,
    expiresInSeconds,
    claims: { sub: 'test-user-1', name: 'Test Clinician', ods: 'R9Z01', org_name: 'Sandbox Royal Infirmary', role: 'R8000', scope: ALL_SCOPES, ...claims },
  });
}

/** A token signed by the test issuer's key with exactly these registered claims (for expired / wrong-issuer cases). */
export async function rawTestToken(payload: Record<string, unknown>): Promise<string> {
  const { importJWK, SignJWT } = await import('jose');
  const k = await testIssuer();
  const key = await importJWK(k.privateJwk, k.alg);
  return new SignJWT({ sub: 'test-user-1', ods: 'R9Z01', role: 'R8000', scope: ALL_SCOPES, ...payload }).setProtectedHeader({ alg: k.alg, kid: k.kid }).sign(key);
}
