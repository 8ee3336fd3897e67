/** Inbound security: who is calling (JWT or client certificate), what they may do (SMART scopes), how often. */
export type { Authenticator, AuthenticationInput, Caller, CallerVia, ClientCertificateInfo, CodingLike } from './types';
export { AuthError, RateLimitedError, bearerChallenge, DEFAULT_REALM } from './errors';
export { createAuthenticator, type AuthenticatorOptions } from './authenticator';
export { accessContextOf, sandboxCaller, callerFromClaims, callerFromCertificate } from './claims';
export { loadAuthClaims, type AuthClaimsTable } from './claims-table';
export { requireScope, grantingContexts, parseScope, type ScopeContext, type ScopeOperation } from './scopes';
export { ACCEPTED_ALGORITHMS, MAX_CLOCK_TOLERANCE_SECONDS } from './jwt';
export { createRateLimiter, type RateLimiter, type RateDecision, type RateLimiterOptions } from './rate-limiter';
export { createDemoSigningKey, readDemoSigningKey, mintDemoToken, DEMO_AUDIENCE, DEMO_ISSUER, type DemoSigningKey, type MintOptions } from './demo-token';
