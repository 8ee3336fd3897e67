/** Observability: Prometheus metrics, W3C Trace Context and request-log fields, all free of patient data. */
export { communityLabel, INVALID_COMMUNITY, routePattern, UNMATCHED_ROUTE } from './labels';
export type { RoutePattern } from './labels';
export { CIRCUIT_STATE_VALUE, createMetrics } from './metrics';
export type { CacheResult, HttpRequestSample, Metrics, MetricsOptions, MetricsPayload, UpstreamSample } from './metrics';
export { requestLogFields } from './request-log-fields';
export type { CommunityCallLog, RequestLogFields, RequestLogInput } from './request-log-fields';
export { childSpan, formatTraceparent, parseTraceparent, readTraceContext, SAMPLED_FLAG } from './trace-context';
export type { TraceContext, TraceHeaders } from './trace-context';
export { MAX_TRACESTATE_MEMBERS, parseTracestate, parseTracestateMembers } from './tracestate';
export type { TracestateMember } from './tracestate';
export { UPSTREAM_OUTCOMES, UPSTREAM_TRANSACTIONS, upstreamOutcomeOf } from './upstream-outcome';
export type { UpstreamOutcome, UpstreamTransaction } from './upstream-outcome';
