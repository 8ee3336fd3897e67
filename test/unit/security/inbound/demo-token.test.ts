import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { createAuthenticator } from '../../../../src/security/inbound/authenticator';
import { createDemoSigningKey, DEMO_AUDIENCE, DEMO_ISSUER, mintDemoToken, readDemoSigningKey } from '../../../../src/security/inbound/demo-token';
import { runMintCli } from '../../../../src/security/inbound/mint-demo-token-cli';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'demo-issuer-'));
const claims = { sub: 'demo', ods: 'SANDBOX', role: 'R8000', scope: 'user/DocumentReference.rs' };

describe('demo signing key', () => {
  test('writes a private JWK (0600) and a public JWKS without private parts', async () => {
    const dir = tempDir();
    const key = await createDemoSigningKey(dir);
    expect(key.alg).toBe('ES256');
    expect(fs.statSync(key.privateKeyFile).mode & 0o777).toBe(0o600);
    const jwks = JSON.parse(fs.readFileSync(key.jwksFile, 'utf8')) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kid: key.kid, alg: 'ES256', kty: 'EC', crv: 'P-256' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(readDemoSigningKey(dir)?.kid).toBe(key.kid);
    expect(readDemoSigningKey(tempDir())).toBeUndefined();
  });

  test.each(['ES256', 'RS256'] as const)('a %s token verifies against the JWKS file and maps to a Caller', async (alg) => {
    const key = await createDemoSigningKey(tempDir(), alg);
    const jwt = await mintDemoToken({ privateJwk: key.privateJwk, kid: key.kid, issuer: DEMO_ISSUER, audience: DEMO_AUDIENCE, claims, expiresInSeconds: 600 });
    expect(decodeProtectedHeader(jwt)).toEqual({ alg, kid: key.kid, typ: 'JWT' });
    const auth = createAuthenticator({ jwksFile: key.jwksFile, issuer: DEMO_ISSUER, audience: DEMO_AUDIENCE });
    await expect(auth.authenticate({ authorization: `Bearer ${jwt}` })).resolves.toMatchObject({ subject: 'demo', organizationId: 'SANDBOX', via: 'jwt' });
  });

  test('a PKCS#8 PEM key works too; lifetimes outside 1 s..24 h are refused', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const jwt = await mintDemoToken({ keyPem, kid: 'pem-1', issuer: DEMO_ISSUER, audience: DEMO_AUDIENCE, claims, expiresInSeconds: 60 });
    expect(decodeProtectedHeader(jwt).alg).toBe('ES256');
    await expect(mintDemoToken({ keyPem, kid: 'k', issuer: 'i', audience: 'a', claims, expiresInSeconds: 0 })).rejects.toThrow(TypeError);
    await expect(mintDemoToken({ keyPem, kid: 'k', issuer: 'i', audience: 'a', claims, expiresInSeconds: 90_000 })).rejects.toThrow(TypeError);
  });
});

describe('mint-demo-token CLI', () => {
  test('prints only the token on stdout, creating the key on first use and reusing it after', async () => {
    const dir = tempDir();
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) };
    expect(await runMintCli(['--key-dir', dir, '--sub', 'alice', '--scope', 'system/*.rs'], io)).toBe(0);
    expect(await runMintCli(['--key-dir', dir], io)).toBe(0);
    expect(out).toHaveLength(2);
    for (const line of out) expect(line).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(err.join('')).toContain(path.join(dir, 'demo-jwks.json'));
    const auth = createAuthenticator({ jwksFile: path.join(dir, 'demo-jwks.json'), issuer: DEMO_ISSUER, audience: DEMO_AUDIENCE });
    const caller = await auth.authenticate({ authorization: `Bearer ${(out[0] as string).trim()}` });
    expect(caller).toMatchObject({ subject: 'alice', scopes: ['system/*.rs'], purposeOfUse: { code: 'TREAT' } });
    await expect(auth.authenticate({ authorization: `Bearer ${(out[1] as string).trim()}` })).resolves.toMatchObject({ subject: 'demo-clinician' });
  });

  test('usage errors exit 2 and print nothing on stdout', async () => {
    const out: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: () => undefined };
    expect(await runMintCli([], io)).toBe(2);
    expect(await runMintCli(['--key-dir', tempDir(), '--bogus'], io)).toBe(2);
    expect(await runMintCli(['--key-dir', tempDir(), '--alg', 'HS256'], io)).toBe(2);
    expect(out).toEqual([]);
  });
});
