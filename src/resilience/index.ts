/** Resilience building blocks for calls to XCA communities: isolation, retries, deadlines, connection pools. */
export { CircuitBreaker, CircuitOpenError } from './circuit-breaker';
export type { CircuitBreakerOptions, CircuitState, CircuitStateChange, RunOptions } from './circuit-breaker';
export { CircuitBreakers } from './circuit-breakers';
export { createCommunityAgent } from './community-agent';
export type { CommunityAgentOptions } from './community-agent';
export { createDeadline, DeadlineExceededError, DEFAULT_REQUEST_DEADLINE_MS } from './deadline';
export type { Deadline } from './deadline';
export { isCommunityFailure, isConnectionFailure } from './failure-policy';
export { backoffMs, retryIdempotent } from './retry';
export type { RetryOptions } from './retry';
