/**
 * Typed errors of inbound security. Their `code` names the error-catalogue entry each should become
 * (ACCESS_DENIED 401, FORBIDDEN 403, TOO_MANY_REQUESTS 429) once src/errors/catalogue.ts has them; until then
 * http/ maps them by `status` and `headers`.
 */

export const DEFAULT_REALM = 'mhd-xca-facade';

/** RFC 6750 section 3.1 error codes. */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/** Keep a value inside an RFC 7230 quoted-string: no quotes, backslashes or control characters. */
function quotable(value: string): string {
  return value.replace(/["\\\u0000-\u001f\u007f]/g, "'").slice(0, 200);
}

/**
 * The WWW-Authenticate value of a refusal (RFC 6750 section 3). With no error code, only the realm: a request
 * that carried no credentials (or an unsupported scheme) gets no error code, per RFC 6750 section 3.1.
 */
export function bearerChallenge(realm: string, error?: BearerErrorCode, description?: string, scope?: string): string {
  const parts = [`Bearer realm="${quotable(realm)}"`];
  if (error !== undefined) parts.push(`error="${error}"`);
  if (error !== undefined && description !== undefined) parts.push(`error_description="${quotable(description)}"`);
  if (scope !== undefined) parts.push(`scope="${quotable(scope)}"`);
  return parts.join(', ');
}

/** A request refused for its credentials (401) or for what they allow (403). */
export class AuthError extends Error {
  readonly code: 'ACCESS_DENIED' | 'FORBIDDEN';
  readonly status: 401 | 403;
  /** The WWW-Authenticate value to send, when there is one. */
  readonly wwwAuthenticate: string | undefined;

  constructor(code: 'ACCESS_DENIED' | 'FORBIDDEN', message: string, wwwAuthenticate?: string) {
    super(message);
    this.name = 'AuthError';
    this.code = code;
    this.status = code === 'ACCESS_DENIED' ? 401 : 403;
    this.wwwAuthenticate = wwwAuthenticate;
  }

  /** Extra headers the answer must carry. */
  get headers(): Readonly<Record<string, string>> {
    return this.wwwAuthenticate === undefined ? {} : { 'WWW-Authenticate': this.wwwAuthenticate };
  }

  /** 401 for a request without usable credentials (no error code in the challenge). */
  static missing(realm: string, message: string): AuthError {
    return new AuthError('ACCESS_DENIED', message, bearerChallenge(realm));
  }

  /** 401 for a token that is malformed, unverifiable, expired or carries unusable claims. */
  static invalidToken(realm: string, description: string): AuthError {
    return new AuthError('ACCESS_DENIED', `Invalid access token: ${description}`, bearerChallenge(realm, 'invalid_token', description));
  }

  /** 403 for a valid token whose scopes do not cover the request (RFC 6750 insufficient_scope). */
  static insufficientScope(realm: string, description: string, scope: string): AuthError {
    return new AuthError('FORBIDDEN', description, bearerChallenge(realm, 'insufficient_scope', description, scope));
  }
}

/** A request refused by the per-caller rate limit (429 with Retry-After, RFC 6585 section 4). */
export class RateLimitedError extends Error {
  readonly code = 'TOO_MANY_REQUESTS' as const;
  readonly status = 429 as const;
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    super(`Too many requests: retry after ${retryAfterSeconds} s`);
    this.name = 'RateLimitedError';
    this.retryAfterSeconds = retryAfterSeconds;
  }

  get headers(): Readonly<Record<string, string>> {
    return { 'Retry-After': String(this.retryAfterSeconds) };
  }
}
