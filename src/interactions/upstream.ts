import type { Dispatcher } from 'undici';
import type { CommunityContact } from '../audit';
import { upstreamOutcomeOf, type UpstreamOutcome, type UpstreamTransaction } from '../observability';
import { CircuitOpenError, isConnectionFailure, retryIdempotent } from '../resilience';
import { XcaError } from '../xca/errors';
import { isIti39RegistryError } from '../xca/iti39';
import type { AdhocQueryResponse, Community, IdentifiedEntry } from '../xca/model';
import { classifyXdsError } from '../mappings/xds-errors';
import type { RequestContext, Services } from './services';

/** What each outbound call receives: its cancellation, the community's mTLS dispatcher and a fresh XUA header. */
export interface UpstreamCallOptions {
  readonly signal: AbortSignal;
  readonly dispatcher?: Dispatcher;
  readonly securityHeader?: () => string;
  /** W3C trace context propagated to the responding gateway. */
  readonly headers: Readonly<Record<string, string>>;
}

/** How a successful exchange went, for the audit trail (a failed one is described here, from its error). */
export type ContactSummary = Pick<CommunityContact, 'outcome' | 'documentCount' | 'errorCode'>;

/**
 * Every call to a responding community goes through here: the community's circuit breaker (an open circuit answers
 * at once, as XcaError 'circuit-open'), a retry of these idempotent queries/retrieves on connection errors only,
 * with jittered backoff, never past the request's deadline; the upstream metrics; and the community contact of the
 * request's audit record (IHE BALP), in one place. The XUA attributes come from the authenticated caller only.
 */
export async function callUpstream<T>(
  services: Services,
  ctx: RequestContext,
  community: Community,
  transaction: UpstreamTransaction,
  task: (options: UpstreamCallOptions) => Promise<T>,
  options: { signal?: AbortSignal; outcomeOf?: (value: T) => UpstreamOutcome; contactOf?: (value: T) => ContactSummary } = {},
): Promise<T> {
  const signal = options.signal ?? ctx.signal;
  const started = Date.now();
  const call = { signal, headers: ctx.traceHeaders, ...services.outbound.forCall(community, ctx.caller) };
  const record = (outcome: UpstreamOutcome, contact: ContactSummary): void => {
    const durationMs = Date.now() - started;
    services.metrics.recordUpstream({ community: community.name, transaction, outcome, durationMs });
    ctx.audit.contact({ homeCommunityId: community.homeCommunityId, name: community.name, transaction, durationMs, ...contact });
  };
  try {
    const value = await services.breakers.for(community.name).run(
      () => retryIdempotent(() => task(call), { attempts: 2, baseDelayMs: 50, maxDelayMs: 500, deadline: ctx.deadline, isRetryable: isConnectionFailure, signal }),
      { signal },
    );
    record(options.outcomeOf?.(value) ?? 'success', options.contactOf?.(value) ?? { outcome: 'success' });
    return value;
  } catch (err) {
    const converted =
      err instanceof CircuitOpenError
        ? new XcaError('circuit-open', `community unavailable after repeated failures, retry after ${Math.max(1, Math.ceil(err.retryAfterMs / 1000))} s`, { cause: err })
        : err;
    const outcome = upstreamOutcomeOf(converted);
    const errorCode = isIti39RegistryError(converted) ? converted.primaryCode : converted instanceof XcaError ? converted.kind : undefined;
    record(outcome, { outcome: outcome === 'timeout' ? 'timeout' : 'failure', documentCount: 0, ...(errorCode ? { errorCode } : {}) });
    throw converted;
  }
}

/**
 * The audit summary of an ITI-38 answer, read through the XDS error table: its documents; failure when it carried
 * real errors and nothing else (XDSUnknownPatientId means "no documents here", a success).
 */
export function queryContact(response: AdhocQueryResponse<IdentifiedEntry>): ContactSummary {
  const real = response.errors.filter((e) => classifyXdsError(e.errorCode).meaning !== 'no-documents');
  const errorCode = real[0]?.errorCode;
  const outcome = real.length > 0 && response.extrinsicObjects.length === 0 ? 'failure' : real.length > 0 || response.status === 'PartialSuccess' ? 'partial-success' : 'success';
  return { outcome, documentCount: response.extrinsicObjects.length, ...(errorCode ? { errorCode } : {}) };
}
