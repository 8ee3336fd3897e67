import type { Dispatcher } from 'undici';
import { upstreamOutcomeOf, type UpstreamOutcome, type UpstreamTransaction } from '../observability';
import { CircuitOpenError, isConnectionFailure, retryIdempotent } from '../resilience';
import { XcaError } from '../xca/errors';
import type { Community } from '../xca/model';
import type { RequestContext, Services } from './services';

/** What each outbound call receives: its cancellation, the community's mTLS dispatcher and a fresh XUA header. */
export interface UpstreamCallOptions {
  readonly signal: AbortSignal;
  readonly dispatcher?: Dispatcher;
  readonly securityHeader?: () => string;
  /** W3C trace context propagated to the responding gateway. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Every call to a responding community goes through here: the community's circuit breaker (an open circuit answers
 * at once, as XcaError 'circuit-open'), a retry of these idempotent queries/retrieves on connection errors only,
 * with jittered backoff, never past the request's deadline; and the upstream metrics. The XUA attributes come
 * from the authenticated caller (ctx.caller) only.
 */
export async function callUpstream<T>(
  services: Services,
  ctx: RequestContext,
  community: Community,
  transaction: UpstreamTransaction,
  task: (options: UpstreamCallOptions) => Promise<T>,
  options: { signal?: AbortSignal; outcomeOf?: (value: T) => UpstreamOutcome } = {},
): Promise<T> {
  const signal = options.signal ?? ctx.signal;
  const started = Date.now();
  const call = { signal, headers: ctx.traceHeaders, ...services.outbound.forCall(community, ctx.caller) };
  const record = (outcome: UpstreamOutcome): void =>
    services.metrics.recordUpstream({ community: community.name, transaction, outcome, durationMs: Date.now() - started });
  try {
    const value = await services.breakers.for(community.name).run(
      () => retryIdempotent(() => task(call), { attempts: 2, baseDelayMs: 50, maxDelayMs: 500, deadline: ctx.deadline, isRetryable: isConnectionFailure, signal }),
      { signal },
    );
    record(options.outcomeOf?.(value) ?? 'success');
    return value;
  } catch (err) {
    const converted =
      err instanceof CircuitOpenError
        ? new XcaError('circuit-open', `community unavailable after repeated failures, retry after ${Math.max(1, Math.ceil(err.retryAfterMs / 1000))} s`, { cause: err })
        : err;
    record(upstreamOutcomeOf(converted));
    throw converted;
  }
}
