import { register as globalRegistry } from 'prom-client';
import { routePattern, UNMATCHED_ROUTE, type RoutePattern } from '../../../src/observability/labels';
import { createMetrics, type Metrics } from '../../../src/observability/metrics';

const NHS_NUMBER = '9000000009';

/** The sample lines of one metric family in the exposition text. */
function samples(text: string, name: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

describe('createMetrics', () => {
  let metrics: Metrics;
  beforeEach(() => {
    metrics = createMetrics();
  });

  it('exposes every facade metric, with its labels, in the Prometheus text format', async () => {
    metrics.recordHttpRequest({ route: routePattern('/fhir/DocumentReference/:id'), method: 'get', status: 200, durationMs: 42 });
    metrics.recordUpstream({ community: 'community-a', transaction: 'ITI-38', outcome: 'success', durationMs: 1200 });
    metrics.recordUpstream({ community: 'urn:oid:1.3.6.1.4.1.21367.13.70.101', transaction: 'RAD-75', outcome: 'circuit_open', durationMs: 0 });
    metrics.recordCacheOperation('search', 'hit');
    metrics.recordCacheOperation('docref', 'miss');
    metrics.setCircuitState('community-a', 'half-open');
    metrics.setCircuitState('community-b', 'open');
    metrics.setCertificateExpiryDays('client', 41.5);

    const { contentType, body } = await metrics.metricsHandler();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(samples(body, 'http_requests_total')).toEqual(['http_requests_total{route="/fhir/DocumentReference/:id",method="GET",status="200"} 1']);
    expect(samples(body, 'http_request_duration_seconds_sum')).toEqual(['http_request_duration_seconds_sum{route="/fhir/DocumentReference/:id",method="GET"} 0.042']);
    expect(samples(body, 'upstream_requests_total')).toEqual([
      'upstream_requests_total{community="community-a",transaction="ITI-38",outcome="success"} 1',
      'upstream_requests_total{community="urn:oid:1.3.6.1.4.1.21367.13.70.101",transaction="RAD-75",outcome="circuit_open"} 1',
    ]);
    expect(samples(body, 'upstream_request_duration_seconds_count')).toEqual([
      'upstream_request_duration_seconds_count{community="community-a",transaction="ITI-38"} 1',
      'upstream_request_duration_seconds_count{community="urn:oid:1.3.6.1.4.1.21367.13.70.101",transaction="RAD-75"} 1',
    ]);
    expect(body).toContain('upstream_request_duration_seconds_bucket{le="60",community="community-a",transaction="ITI-38"} 1');
    expect(samples(body, 'cache_operations_total')).toEqual([
      'cache_operations_total{operation="search",result="hit"} 1',
      'cache_operations_total{operation="docref",result="miss"} 1',
    ]);
    expect(samples(body, 'circuit_state')).toEqual(['circuit_state{community="community-a"} 1', 'circuit_state{community="community-b"} 2']);
    expect(samples(body, 'certificate_expiry_days')).toEqual(['certificate_expiry_days{role="client"} 41.5']);
  });

  it('collects the process/default metrics on its own registry, not on the global one', async () => {
    const { body } = await metrics.metricsHandler();
    expect(body).toContain('process_cpu_user_seconds_total');
    expect(body).toContain('nodejs_eventloop_lag_seconds');
    expect(await globalRegistry.metrics()).not.toContain('upstream_requests_total');
    expect(metrics.registry).not.toBe(globalRegistry);
    const quiet = createMetrics({ defaultMetrics: false });
    expect(await quiet.registry.metrics()).not.toContain('process_cpu_user_seconds_total');
  });

  it('never lets an NHS number from a URL reach a label', async () => {
    const url = `/fhir/DocumentReference?patient.identifier=https://fhir.nhs.uk/Id/nhs-number|${NHS_NUMBER}`;
    const concrete = `/fhir/Patient/${NHS_NUMBER}`;
    metrics.recordHttpRequest({ route: routePattern(url), method: 'GET', status: 200, durationMs: 5 });
    metrics.recordHttpRequest({ route: routePattern(concrete), method: 'GET', status: 404, durationMs: 5 });
    // A cast bypasses the type, not the check: the recorder validates again.
    metrics.recordHttpRequest({ route: concrete as RoutePattern, method: NHS_NUMBER, status: 200, durationMs: 5 });
    metrics.recordUpstream({ community: `patient ${NHS_NUMBER}`, transaction: 'ITI-38', outcome: 'network', durationMs: 5 });
    metrics.setCircuitState(`https://gw.example/${NHS_NUMBER}`, 'open');
    metrics.recordCacheOperation(`search:${NHS_NUMBER}`, 'hit');
    metrics.setCertificateExpiryDays(NHS_NUMBER, 1);

    const { body } = await metrics.metricsHandler();
    expect(body).not.toContain(NHS_NUMBER);
    expect(samples(body, 'http_requests_total')).toEqual([
      `http_requests_total{route="${UNMATCHED_ROUTE}",method="GET",status="200"} 1`,
      `http_requests_total{route="${UNMATCHED_ROUTE}",method="GET",status="404"} 1`,
      `http_requests_total{route="${UNMATCHED_ROUTE}",method="OTHER",status="200"} 1`,
    ]);
    expect(samples(body, 'upstream_requests_total')).toEqual(['upstream_requests_total{community="invalid",transaction="ITI-38",outcome="network"} 1']);
    expect(samples(body, 'cache_operations_total')).toEqual(['cache_operations_total{operation="other",result="hit"} 1']);
  });

  it('accepts only patterns as routes, by type', () => {
    // @ts-expect-error a plain string (e.g. req.originalUrl) is not a RoutePattern
    const sample: Parameters<Metrics['recordHttpRequest']>[0] = { route: '/fhir/Patient/9000000009', method: 'GET', status: 200, durationMs: 1 };
    expect(sample.method).toBe('GET');
  });
});
