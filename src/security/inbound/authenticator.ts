import { loadAuthClaims, type AuthClaimsTable } from './claims-table';
import { callerFromCertificate, callerFromClaims, ClaimError } from './claims';
import { AuthError, DEFAULT_REALM } from './errors';
import { createJwtVerifier, TokenRejected, type JwtVerifier, type JwtVerifierOptions } from './jwt';
import type { AuthenticationInput, Authenticator, Caller } from './types';

/**
 * Inbound authentication: a bearer JWT (RFC 6750) verified against the issuer's JWKS, or else a client
 * certificate the TLS layer verified against INBOUND_CLIENT_CA. When both are present the bearer token decides
 * (it names the person; the certificate only the system). Nothing else is a credential.
 */

export interface AuthenticatorOptions extends Partial<JwtVerifierOptions> {
  readonly issuer: string;
  readonly audience: string;
  /** realm of WWW-Authenticate challenges. */
  readonly realm?: string;
  /** The claims table; defaults to mappings/auth-claims.json. */
  readonly claims?: AuthClaimsTable;
}

/** RFC 6750 section 2.1: `Bearer` (any case), one or more spaces, a b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const SCHEME = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)(?: |$)/;

/** Build the authenticator for one issuer and audience. */
export function createAuthenticator(opts: AuthenticatorOptions): Authenticator {
  const realm = opts.realm ?? DEFAULT_REALM;
  const table = opts.claims ?? loadAuthClaims();
  const verify: JwtVerifier | undefined =
    opts.jwksUrl === undefined && opts.jwksFile === undefined ? undefined : createJwtVerifier(opts as JwtVerifierOptions);

  async function bearer(header: string): Promise<Caller> {
    const match = BEARER.exec(header.trim());
    if (match === null) {
      const scheme = SCHEME.exec(header.trim())?.[1];
      // An unsupported scheme is "no credentials" for Bearer (RFC 6750 3.1: no error code in the challenge).
      if (scheme !== undefined && scheme.toLowerCase() !== 'bearer') throw AuthError.missing(realm, `Authorization scheme ${scheme} is not supported: use Bearer`);
      throw AuthError.invalidToken(realm, 'malformed token');
    }
    if (verify === undefined) throw AuthError.invalidToken(realm, 'bearer tokens are not accepted here');
    try {
      return callerFromClaims(await verify(match[1] as string), table);
    } catch (err) {
      if (err instanceof TokenRejected || err instanceof ClaimError) throw AuthError.invalidToken(realm, err.message);
      throw err;
    }
  }

  return {
    async authenticate(input: AuthenticationInput): Promise<Caller> {
      if (input.authorization !== undefined && input.authorization.trim() !== '') return bearer(input.authorization);
      if (input.clientCertificate !== undefined) return callerFromCertificate(input.clientCertificate, table, realm);
      throw AuthError.missing(realm, 'Authentication required: send Authorization: Bearer <access token>');
    },
  };
}
