import { createHmac, createPublicKey, type JsonWebKey } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';

/** Test issuer: RS256 and ES256 keys made at test time, a JWKS served by a real HTTP server and written to a file. */

export const ISSUER = 'https://issuer.test.invalid';
export const AUDIENCE = 'https://facade.test.invalid/fhir';
/** The pinned "now" of every verification (tests never race the clock). */
export const NOW = new Date('2025-06-01T12:00:00Z');
export const NOW_S = Math.floor(NOW.getTime() / 1000);

export interface SigningKey {
  readonly alg: 'RS256' | 'ES256';
  readonly kid: string;
  readonly privateKey: KeyLike;
  readonly publicJwk: JWK;
}

export interface Issuer {
  readonly rsa: SigningKey;
  readonly ec: SigningKey;
  /** A key the JWKS does not list. */
  readonly stranger: SigningKey;
  readonly jwksUrl: string;
  readonly jwksFile: string;
  /** How many times the JWKS was fetched. */
  fetches(): number;
  close(): Promise<void>;
}

async function signingKey(alg: 'RS256' | 'ES256', kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** Start the issuer's JWKS endpoint on 127.0.0.1, port 0. */
export async function startIssuer(): Promise<Issuer> {
  const rsa = await signingKey('RS256', 'rsa-1');
  const ec = await signingKey('ES256', 'ec-1');
  const stranger = await signingKey('RS256', 'unknown-kid');
  const body = JSON.stringify({ keys: [rsa.publicJwk, ec.publicJwk] });
  let count = 0;
  const server = http.createServer((req, res) => {
    count += 1;
    if (req.url !== '/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jwks-'));
  const jwksFile = path.join(dir, 'jwks.json');
  fs.writeFileSync(jwksFile, body);
  return {
    rsa, ec, stranger, jwksFile,
    jwksUrl: `http://127.0.0.1:${port}/jwks.json`,
    fetches: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The claims of a good clinician token. */
export function goodClaims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sub: 'user-123', name: 'Dr Ada Lovelace', ods: 'RR8', org_name: 'Leeds Teaching Hospitals',
    role: 'S0030:G0100:R8000', purpose_of_use: 'TREATMENT', scope: 'user/DocumentReference.rs user/Binary.r',
    client_id: 'viewer-app', jti: 'token-1', ...extra,
  };
}

export interface TokenOptions {
  readonly iss?: string;
  readonly aud?: string;
  /** exp relative to NOW, seconds; null for none. */
  readonly expIn?: number | null;
  /** nbf relative to NOW, seconds. */
  readonly nbfIn?: number;
  readonly kid?: string;
}

/** Sign a token with `key` (jose), iat = NOW. */
export async function token(key: SigningKey, claims: Record<string, unknown> = goodClaims(), opts: TokenOptions = {}): Promise<string> {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: opts.kid ?? key.kid, typ: 'JWT' })
    .setIssuer(opts.iss ?? ISSUER)
    .setAudience(opts.aud ?? AUDIENCE)
    .setIssuedAt(NOW_S);
  if (opts.expIn !== null) jwt.setExpirationTime(NOW_S + (opts.expIn ?? 300));
  if (opts.nbfIn !== undefined) jwt.setNotBefore(NOW_S + opts.nbfIn);
  return jwt.sign(key.privateKey);
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function standardPayload(): Record<string, unknown> {
  return { ...goodClaims(), iss: ISSUER, aud: AUDIENCE, iat: NOW_S, exp: NOW_S + 300 };
}

/** An unsecured JWT (RFC 7519 6.1), built by hand: header alg none, empty signature. */
export function unsecuredToken(): string {
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(standardPayload())}.`;
}

/** The key-confusion attack: HS256 "signed" with the issuer's RSA public key (PEM) as the HMAC secret. */
export function keyConfusionToken(rsa: SigningKey): string {
  const pem = createPublicKey({ key: rsa.publicJwk as JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
  const input = `${b64url({ alg: 'HS256', typ: 'JWT', kid: rsa.kid })}.${b64url(standardPayload())}`;
  return `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
}
