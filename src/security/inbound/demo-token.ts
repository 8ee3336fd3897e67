import { createPrivateKey, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, importPKCS8, SignJWT, type JWK } from 'jose';

/**
 * A demo token issuer for the sandbox's "require tokens" switch and for trying the facade by hand: a signing key
 * on disk, its public JWKS file (give it to createAuthenticator as jwksFile) and tokens signed with it.
 * Never a production issuer: the private key is a plain file.
 */

export type DemoAlgorithm = 'ES256' | 'RS256';

export const DEMO_ISSUER = 'https://demo-issuer.mhd-xca-facade.invalid';
export const DEMO_AUDIENCE = 'mhd-xca-facade';
export const DEMO_PRIVATE_KEY_FILE = 'demo-signing-key.jwk.json';
export const DEMO_JWKS_FILE = 'demo-jwks.json';
const MAX_LIFETIME_SECONDS = 24 * 3600;

export interface DemoSigningKey {
  readonly kid: string;
  readonly alg: DemoAlgorithm;
  readonly privateJwk: JWK;
  readonly privateKeyFile: string;
  readonly jwksFile: string;
}

/** Create a fresh key pair in `dir`: the private JWK (mode 0600) and the public JWKS. kid = RFC 7638 thumbprint. */
export async function createDemoSigningKey(dir: string, alg: DemoAlgorithm = 'ES256'): Promise<DemoSigningKey> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' };
  const privateKeyFile = path.join(dir, DEMO_PRIVATE_KEY_FILE);
  const jwksFile = path.join(dir, DEMO_JWKS_FILE);
  fs.writeFileSync(privateKeyFile, JSON.stringify(privateJwk, null, 2), { mode: 0o600 });
  fs.chmodSync(privateKeyFile, 0o600);
  fs.writeFileSync(jwksFile, JSON.stringify({ keys: [{ ...publicJwk, kid, alg, use: 'sig' }] }, null, 2));
  return { kid, alg, privateJwk, privateKeyFile, jwksFile };
}

/** Read the key createDemoSigningKey wrote in `dir`, or undefined when there is none. */
export function readDemoSigningKey(dir: string): DemoSigningKey | undefined {
  const privateKeyFile = path.join(dir, DEMO_PRIVATE_KEY_FILE);
  const jwksFile = path.join(dir, DEMO_JWKS_FILE);
  if (!fs.existsSync(privateKeyFile) || !fs.existsSync(jwksFile)) return undefined;
  const privateJwk = JSON.parse(fs.readFileSync(privateKeyFile, 'utf8')) as JWK;
  if (typeof privateJwk.kid !== 'string') throw new Error(`${privateKeyFile} has no kid`);
  return { kid: privateJwk.kid, alg: algorithmOfJwk(privateJwk), privateJwk, privateKeyFile, jwksFile };
}

function algorithmOfJwk(jwk: JWK): DemoAlgorithm {
  if (jwk.kty === 'RSA') return 'RS256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  throw new Error('demo tokens are signed with RSA (RS256) or EC P-256 (ES256) keys only');
}

function algorithmOfPem(pem: string): DemoAlgorithm {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new Error('demo tokens are signed with RSA (RS256) or EC P-256 (ES256) keys only');
}

export interface MintOptions {
  /** Private key as a JWK (from createDemoSigningKey), or... */
  readonly privateJwk?: JWK;
  /** ...as a PKCS#8 PEM. */
  readonly keyPem?: string;
  readonly kid: string;
  readonly issuer: string;
  readonly audience: string;
  /** Further claims: sub, name, ods, org_name, role, purpose_of_use, scope... */
  readonly claims: Readonly<Record<string, unknown>>;
  /** Lifetime, 1 s to 24 h. */
  readonly expiresInSeconds: number;
  /** Issue time (tests pin it); default now. */
  readonly issuedAt?: Date;
}

/** Sign a demo access token (JWS compact, header alg + kid + typ). */
export async function mintDemoToken(opts: MintOptions): Promise<string> {
  const { expiresInSeconds } = opts;
  if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_LIFETIME_SECONDS) {
    throw new TypeError(`expiresInSeconds must be an integer from 1 to ${MAX_LIFETIME_SECONDS}`);
  }
  let alg: DemoAlgorithm;
  let key: Awaited<ReturnType<typeof importJWK>>;
  if (opts.privateJwk !== undefined) {
    alg = algorithmOfJwk(opts.privateJwk);
    key = await importJWK(opts.privateJwk, alg);
  } else if (opts.keyPem !== undefined) {
    alg = algorithmOfPem(opts.keyPem);
    key = await importPKCS8(opts.keyPem, alg);
  } else {
    throw new TypeError('give privateJwk or keyPem');
  }
  const iat = Math.floor((opts.issuedAt ?? new Date()).getTime() / 1000);
  return new SignJWT({ ...opts.claims })
    .setProtectedHeader({ alg, kid: opts.kid, typ: 'JWT' })
    .setIssuer(opts.issuer)
    .setAudience(opts.audience)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + expiresInSeconds)
    .setJti(randomUUID())
    .sign(key);
}
