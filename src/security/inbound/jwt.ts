import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { LRUCache } from 'lru-cache';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { FacadeError } from '../../errors/facade-error';

/**
 * Bearer JWT verification (RFC 7519, RFC 9068 access tokens) with jose against the issuer's JWKS.
 * Only RS256 and ES256 are accepted (RFC 7518 3.3 / 3.4): never `none`, never HS* (an HMAC "signed" with the
 * issuer's public key is the classic key-confusion attack). iss, aud, exp and nbf are enforced, with at most 60 s
 * clock skew; a token without exp is refused (it would never expire).
 */

export const ACCEPTED_ALGORITHMS: readonly string[] = ['RS256', 'ES256'];
export const MAX_CLOCK_TOLERANCE_SECONDS = 60;
/**
 * A token verified once is remembered (by its SHA-256) for at most this long, and never past its exp: a client
 * sends the same bearer token with every request, and an RSA/ECDSA verification per request was a large part of a
 * cached search's cost. The bound is also how long a key withdrawn from the issuer's JWKS may still be honoured
 * for a token it signed. Refusals are never remembered.
 */
export const VERIFIED_TOKEN_TTL_MS = 60_000;
const VERIFIED_TOKENS_MAX = 5_000;

export interface JwtVerifierOptions {
  /** HTTPS URL of the issuer's JWKS (plain http only on loopback, for tests and the sandbox). */
  readonly jwksUrl?: string;
  /** A local JWKS file (the sandbox's demo issuer, or an air-gapped deployment). */
  readonly jwksFile?: string;
  readonly issuer: string;
  readonly audience: string;
  readonly clockToleranceSeconds?: number;
  /** Clock for exp/nbf (tests pin it). */
  readonly now?: () => Date;
}

/** Verifies one compact JWS and returns its claims; throws TokenRejected or FacadeError(SERVICE_UNAVAILABLE). */
export type JwtVerifier = (token: string) => Promise<JWTPayload>;

/** The token itself was refused; `reason` is safe to show the caller. */
export class TokenRejected extends Error {
  constructor(readonly reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'TokenRejected';
  }
}

/** A failure of the key source itself (network, timeout, bad JWKS document): not the caller's fault. */
class KeySourceUnavailable extends Error {}

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

function keySource(opts: JwtVerifierOptions): JWTVerifyGetKey {
  if ((opts.jwksUrl === undefined) === (opts.jwksFile === undefined)) throw new TypeError('give exactly one of jwksUrl and jwksFile');
  if (opts.jwksFile !== undefined) {
    return createLocalJWKSet(JSON.parse(fs.readFileSync(opts.jwksFile, 'utf8')) as JSONWebKeySet);
  }
  const url = new URL(opts.jwksUrl as string);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new TypeError(`jwksUrl must be https (plain http only on loopback): ${url.origin}`);
  }
  const remote = createRemoteJWKSet(url, { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 600_000 });
  // Tell "no key for this kid" (the token's problem) from "could not fetch the key set" (ours).
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (err) {
      if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) throw err;
      if (err instanceof errors.JOSENotSupported || err instanceof errors.JOSEAlgNotAllowed) throw err;
      throw new KeySourceUnavailable('JWKS unavailable', { cause: err });
    }
  };
}

/** A description of why jose refused a token, fit for error_description (no key material, no claim values). */
export function describeRejection(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'the token has expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf') return 'the token is not valid yet (nbf)';
    if (err.claim === 'iss') return 'unexpected token issuer';
    if (err.claim === 'aud') return 'unexpected token audience';
    return `the ${err.claim} claim is ${err.reason === 'missing' ? 'missing' : 'invalid'}`;
  }
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) {
    return `signing algorithm not accepted (only ${ACCEPTED_ALGORITHMS.join(', ')})`;
  }
  if (err instanceof errors.JWKSNoMatchingKey) return 'no key of the issuer matches the token (kid)';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'signature verification failed';
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return 'malformed token';
  return 'the token could not be verified';
}

/**
 * Remember what `verify` accepted, by the token's SHA-256, until the earlier of its exp (plus `toleranceSeconds`,
 * as jose allows) and {@link VERIFIED_TOKEN_TTL_MS} after it was verified; both read on `now`. Refusals and
 * failures are not remembered: the next request verifies again.
 */
export function rememberVerified(verify: JwtVerifier, opts: { toleranceSeconds: number; now: () => number; ttlMs?: number; max?: number }): JwtVerifier {
  const ttlMs = opts.ttlMs ?? VERIFIED_TOKEN_TTL_MS;
  const verified = new LRUCache<string, { payload: JWTPayload; until: number }>({ max: opts.max ?? VERIFIED_TOKENS_MAX });
  return async (token) => {
    const digest = createHash('sha256').update(token, 'utf8').digest('base64url');
    const known = verified.get(digest);
    if (known !== undefined && known.until > opts.now()) return known.payload;
    if (known !== undefined) verified.delete(digest);
    const payload = await verify(token);
    const verifiedAt = opts.now();
    const until = Math.min(verifiedAt + ttlMs, (payload.exp ?? 0) * 1000 + opts.toleranceSeconds * 1000);
    if (until > verifiedAt) verified.set(digest, { payload: Object.freeze({ ...payload }), until });
    return payload;
  };
}

/** Build a verifier for one issuer and audience (verified tokens remembered: {@link rememberVerified}). */
export function createJwtVerifier(opts: JwtVerifierOptions): JwtVerifier {
  const tolerance = opts.clockToleranceSeconds ?? MAX_CLOCK_TOLERANCE_SECONDS;
  if (!Number.isInteger(tolerance) || tolerance < 0 || tolerance > MAX_CLOCK_TOLERANCE_SECONDS) {
    throw new TypeError(`clockToleranceSeconds must be an integer from 0 to ${MAX_CLOCK_TOLERANCE_SECONDS}`);
  }
  const keys = keySource(opts);
  const verifyNow: JwtVerifier = async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        algorithms: [...ACCEPTED_ALGORITHMS],
        issuer: opts.issuer,
        audience: opts.audience,
        clockTolerance: tolerance,
        requiredClaims: ['exp'],
        ...(opts.now === undefined ? {} : { currentDate: opts.now() }),
      });
      return payload;
    } catch (err) {
      if (err instanceof KeySourceUnavailable) {
        throw new FacadeError('SERVICE_UNAVAILABLE', 'The access token cannot be verified now: the issuer key set is unavailable', { cause: err.cause });
      }
      throw new TokenRejected(describeRejection(err), { cause: err });
    }
  };
  return rememberVerified(verifyNow, { toleranceSeconds: tolerance, now: () => (opts.now?.() ?? new Date()).getTime() });
}
