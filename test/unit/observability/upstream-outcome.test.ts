import { UPSTREAM_OUTCOMES, upstreamOutcomeOf } from '../../../src/observability/upstream-outcome';
import { CircuitOpenError } from '../../../src/resilience/circuit-breaker';
import { DeadlineExceededError } from '../../../src/resilience/deadline';
import { XcaError, type XcaErrorKind } from '../../../src/xca/errors';
import { Iti39RegistryError } from '../../../src/xca/iti39/registry-error';
import { Rad75RegistryError } from '../../../src/xca/rad75/registry-error';

describe('upstreamOutcomeOf', () => {
  it.each<[XcaErrorKind, string]>([
    ['soap-fault', 'soap_fault'],
    ['http-status', 'http_error'],
    ['timeout', 'timeout'],
    ['network', 'network'],
    ['tls', 'tls'],
    ['oversize', 'oversize'],
    ['unparseable', 'unparseable'],
  ])('maps XcaError %s to %s', (kind, outcome) => {
    expect(upstreamOutcomeOf(new XcaError(kind, 'x'))).toBe(outcome);
  });

  it('recognises open circuits, retrieve registry errors, deadlines and unknown errors', () => {
    expect(upstreamOutcomeOf(new CircuitOpenError('community-a', 100, 'open'))).toBe('circuit_open');
    expect(upstreamOutcomeOf(new Iti39RegistryError('Failure', []))).toBe('registry_error');
    expect(upstreamOutcomeOf(new Rad75RegistryError('Failure', []))).toBe('registry_error');
    expect(upstreamOutcomeOf(new DeadlineExceededError(30_000))).toBe('timeout');
    expect(upstreamOutcomeOf(new DOMException('aborted', 'AbortError'))).toBe('timeout');
    expect(upstreamOutcomeOf(new Error('surprise'))).toBe('network');
  });

  it('only ever returns a value of the closed vocabulary', () => {
    const outcomes = [new XcaError('tls', 't'), 'a string', undefined, null, 42].map(upstreamOutcomeOf);
    for (const outcome of outcomes) expect(UPSTREAM_OUTCOMES).toContain(outcome);
  });
});
