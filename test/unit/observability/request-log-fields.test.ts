import { Writable } from 'node:stream';
import { routePattern, type RoutePattern } from '../../../src/observability/labels';
import { requestLogFields, type RequestLogInput } from '../../../src/observability/request-log-fields';
import { createLogger } from '../../../src/log/logger';

const NHS_NUMBER = '9000000009';
const TRACE = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };

function input(extra: Partial<RequestLogInput> = {}): RequestLogInput {
  return {
    requestId: '123e4567-e89b-12d3-a456-426614174000',
    correlationId: 'corr-1',
    trace: TRACE,
    route: routePattern('/fhir/DocumentReference'),
    method: 'GET',
    status: 200,
    durationMs: 812.34567,
    paramNames: ['patient.identifier', 'status', 'status', 'date'],
    communities: [
      { community: 'community-a', transaction: 'ITI-38', outcome: 'success', durationMs: 640.1 },
      { community: 'urn:oid:1.3.6.1.4.1.21367.13.70.102', transaction: 'ITI-38', outcome: 'timeout', durationMs: 5000 },
    ],
    ...extra,
  };
}

describe('requestLogFields', () => {
  it('builds the fields of one request line', () => {
    expect(requestLogFields(input())).toEqual({
      requestId: '123e4567-e89b-12d3-a456-426614174000',
      correlationId: 'corr-1',
      traceId: TRACE.traceId,
      spanId: TRACE.spanId,
      route: '/fhir/DocumentReference',
      method: 'GET',
      status: 200,
      durationMs: 812.346,
      params: ['patient.identifier', 'status', 'date'],
      communities: [
        { community: 'community-a', transaction: 'ITI-38', outcome: 'success', durationMs: 640.1 },
        { community: 'urn:oid:1.3.6.1.4.1.21367.13.70.102', transaction: 'ITI-38', outcome: 'timeout', durationMs: 5000 },
      ],
    });
  });

  it('leaves out what it was not given', () => {
    const minimal = requestLogFields({ requestId: 'r', correlationId: 'c', route: routePattern(undefined), method: 'GET', status: 404, durationMs: 1 });
    expect(minimal).toEqual({ requestId: 'r', correlationId: 'c', route: 'unmatched', method: 'GET', status: 404, durationMs: 1 });
  });

  it('lets no NHS number through, from any field, even past the type system', () => {
    const fields = requestLogFields(input({
      requestId: NHS_NUMBER,
      correlationId: `corr-${NHS_NUMBER}`,
      route: `/fhir/DocumentReference?patient=${NHS_NUMBER}` as RoutePattern,
      method: NHS_NUMBER,
      paramNames: ['patient', NHS_NUMBER, `x${NHS_NUMBER}`],
      trace: { traceId: NHS_NUMBER, spanId: NHS_NUMBER },
      communities: [{ community: NHS_NUMBER, transaction: 'ITI-38', outcome: 'success', durationMs: 1 }],
    }));
    expect(JSON.stringify(fields)).not.toContain(NHS_NUMBER);
    expect(fields).toMatchObject({ requestId: '[redacted]', correlationId: '[redacted]', route: 'unmatched', method: 'OTHER', params: ['patient'] });
    expect(fields.traceId).toBeUndefined();
    expect(fields.communities?.[0]?.community).toBe('invalid');
  });

  it('is what the service logger writes, unchanged', () => {
    const lines: string[] = [];
    const destination = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(chunk.toString()); done(); } });
    createLogger('info', destination).info(requestLogFields(input()), 'request');
    const logged = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(logged).toMatchObject({ msg: 'request', route: '/fhir/DocumentReference', traceId: TRACE.traceId, status: 200 });
    expect(logged.communities).toHaveLength(2);
  });
});
