import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CircuitState } from '../resilience/circuit-breaker';
import { communityLabel, identifierLabel, methodLabel, routePattern, type RoutePattern } from './labels';
import type { UpstreamOutcome, UpstreamTransaction } from './upstream-outcome';

/**
 * Prometheus metrics of the facade, on a Registry of its own (never prom-client's global one, so tests and
 * other libraries cannot collide with it). Every label value passes through labels.ts: no URL, query string or
 * header value can become a label, hence no NHS number can end up in the monitoring system.
 */

export interface HttpRequestSample {
  /** The matched route PATTERN (routePattern(req.route.path)), or UNMATCHED_ROUTE. */
  readonly route: RoutePattern;
  readonly method: string;
  readonly status: number;
  readonly durationMs: number;
}

export interface UpstreamSample {
  /** Configured community name or homeCommunityId. */
  readonly community: string;
  readonly transaction: UpstreamTransaction;
  readonly outcome: UpstreamOutcome;
  readonly durationMs: number;
}

export type CacheResult = 'hit' | 'miss' | 'error';

/** What a /metrics handler sends. */
export interface MetricsPayload {
  readonly contentType: string;
  readonly body: string;
}

/** The recorders, and the scrape. */
export interface Metrics {
  readonly registry: Registry;
  recordHttpRequest(sample: HttpRequestSample): void;
  recordUpstream(sample: UpstreamSample): void;
  /** `operation`: a code-given name such as the cache namespace ('search', 'docref'). */
  recordCacheOperation(operation: string, result: CacheResult): void;
  setCircuitState(community: string, state: CircuitState): void;
  /** `role`: which certificate ('client', 'xua-signing', ...); days may be negative once expired. */
  setCertificateExpiryDays(role: string, days: number): void;
  metricsHandler(): Promise<MetricsPayload>;
}

export interface MetricsOptions {
  /** collectDefaultMetrics (process CPU, memory, event loop lag, GC) on this registry; default true. */
  readonly defaultMetrics?: boolean;
}

/** Gauge values of circuit_state. */
export const CIRCUIT_STATE_VALUE: Readonly<Record<CircuitState, number>> = { closed: 0, 'half-open': 1, open: 2 };

/** Inbound: mostly fast FHIR reads, up to the 30 s request deadline. */
const HTTP_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30];
/** Upstream: responding gateways are slow; timeouts of a minute are seen in the field. */
const UPSTREAM_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60];

const seconds = (ms: number): number => Math.max(0, ms) / 1000;

/** Status code as a label; nothing outside 100-599 (a bug) can mint new values. */
const statusLabel = (status: number): string => (Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : 'invalid');

/** Create the registry, its metrics and their recorders. Call once per process (tests: once per test). */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const httpTotal = new Counter({ name: 'http_requests_total', help: 'Inbound HTTP requests', labelNames: ['route', 'method', 'status'] as const, registers });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds', help: 'Inbound HTTP request duration', labelNames: ['route', 'method'] as const, buckets: HTTP_BUCKETS, registers,
  });
  const upstreamTotal = new Counter({
    name: 'upstream_requests_total', help: 'Exchanges with XCA communities', labelNames: ['community', 'transaction', 'outcome'] as const, registers,
  });
  const upstreamDuration = new Histogram({
    name: 'upstream_request_duration_seconds', help: 'Duration of exchanges with XCA communities', labelNames: ['community', 'transaction'] as const,
    buckets: UPSTREAM_BUCKETS, registers,
  });
  const cacheTotal = new Counter({ name: 'cache_operations_total', help: 'Cache lookups', labelNames: ['operation', 'result'] as const, registers });
  const circuit = new Gauge({ name: 'circuit_state', help: 'Circuit per community: 0 closed, 1 half-open, 2 open', labelNames: ['community'] as const, registers });
  const certExpiry = new Gauge({ name: 'certificate_expiry_days', help: 'Days until a certificate expires', labelNames: ['role'] as const, registers });

  return {
    registry,
    recordHttpRequest(sample) {
      // Re-validated: a string cast to RoutePattern still cannot carry a URL into a label.
      const route = routePattern(sample.route) === sample.route ? sample.route : 'unmatched';
      const method = methodLabel(sample.method);
      httpTotal.inc({ route, method, status: statusLabel(sample.status) });
      httpDuration.observe({ route, method }, seconds(sample.durationMs));
    },
    recordUpstream(sample) {
      const community = communityLabel(sample.community);
      upstreamTotal.inc({ community, transaction: sample.transaction, outcome: sample.outcome });
      upstreamDuration.observe({ community, transaction: sample.transaction }, seconds(sample.durationMs));
    },
    recordCacheOperation(operation, result) {
      cacheTotal.inc({ operation: identifierLabel(operation), result });
    },
    setCircuitState(community, state) {
      circuit.set({ community: communityLabel(community) }, CIRCUIT_STATE_VALUE[state]);
    },
    setCertificateExpiryDays(role, days) {
      certExpiry.set({ role: identifierLabel(role) }, days);
    },
    async metricsHandler() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
