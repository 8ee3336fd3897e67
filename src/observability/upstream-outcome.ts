import { CircuitOpenError } from '../resilience/circuit-breaker';
import { XcaError, type XcaErrorKind } from '../xca/errors';
import { Iti39RegistryError } from '../xca/iti39/registry-error';

/**
 * The closed vocabularies of upstream metrics and request logs: which XCA transaction, and how it ended.
 * Closed on purpose: a label value never comes from a peer's message.
 */

/** The XCA transactions the facade initiates (ITI TF-2 3.38, 3.39; RAD TF-3 4.75). */
export const UPSTREAM_TRANSACTIONS = ['ITI-38', 'ITI-39', 'RAD-75'] as const;
export type UpstreamTransaction = (typeof UPSTREAM_TRANSACTIONS)[number];

/** How one exchange with a community ended. */
export const UPSTREAM_OUTCOMES = [
  'success', 'registry_error', 'timeout', 'network', 'tls', 'soap_fault', 'http_error', 'unparseable', 'oversize', 'circuit_open',
] as const;
export type UpstreamOutcome = (typeof UPSTREAM_OUTCOMES)[number];

/** XcaError kinds (xca/errors.ts) → outcome labels. */
const BY_KIND: Readonly<Record<XcaErrorKind, UpstreamOutcome>> = {
  'soap-fault': 'soap_fault',
  'http-status': 'http_error',
  timeout: 'timeout',
  network: 'network',
  oversize: 'oversize',
  unparseable: 'unparseable',
  tls: 'tls',
  'circuit-open': 'circuit_open',
};

function isAbortLike(err: unknown): boolean {
  const name = typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined;
  return name === 'AbortError' || name === 'TimeoutError';
}

/**
 * The outcome label of a failed exchange. A registry error that is returned rather than thrown (ITI-38
 * AdhocQueryResponse with status Failure) is for the caller to record as 'registry_error' itself. Anything
 * unrecognised is 'network', as xca/errors.ts toXcaError normalises it.
 */
export function upstreamOutcomeOf(err: unknown): UpstreamOutcome {
  if (err instanceof XcaError) return BY_KIND[err.kind];
  if (err instanceof CircuitOpenError) return 'circuit_open';
  if (err instanceof Iti39RegistryError) return 'registry_error';
  if (isAbortLike(err)) return 'timeout';
  return 'network';
}
