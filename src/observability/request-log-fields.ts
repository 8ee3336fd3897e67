import { maskNhsNumbers } from '../nhs/nhs-number';
import { communityLabel, methodLabel, routePattern, UNMATCHED_ROUTE, type RoutePattern } from './labels';
import type { UpstreamOutcome, UpstreamTransaction } from './upstream-outcome';

/**
 * The fields of the one log line per inbound request. Only typed, code-given values come in: the route is a
 * RoutePattern (never the URL), communities are configured names, parameters are NAMES only. Free-text ids
 * (X-Request-ID / X-Correlation-ID come from the client) are masked when NHS-number-shaped, so an NHS number
 * cannot reach the line even before the logger's scrubbing destination (log/logger.ts) sees it.
 */

/** One exchange with a community during the request. */
export interface CommunityCallLog {
  /** Configured community name or homeCommunityId. */
  readonly community: string;
  readonly transaction: UpstreamTransaction;
  readonly outcome: UpstreamOutcome;
  readonly durationMs: number;
}

export interface RequestLogInput {
  readonly requestId: string;
  readonly correlationId: string;
  /** From trace-context.ts; the request's own span. */
  readonly trace?: { readonly traceId: string; readonly spanId: string };
  readonly route: RoutePattern;
  readonly method: string;
  readonly status: number;
  readonly durationMs: number;
  /** Names of the search parameters used (never their values). */
  readonly paramNames?: readonly string[];
  readonly communities?: readonly CommunityCallLog[];
}

/** The fields, ready for logger.info(fields, 'request'). */
export interface RequestLogFields {
  readonly requestId: string;
  readonly correlationId: string;
  readonly traceId?: string;
  readonly spanId?: string;
  readonly route: string;
  readonly method: string;
  readonly status: number;
  readonly durationMs: number;
  readonly params?: readonly string[];
  readonly communities?: readonly CommunityCallLog[];
}

/** FHIR search parameter names, with modifiers and chains (`patient.identifier`, `date:missing`, `_count`). */
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_\-.:]{0,63}$/;
const HEX_32 = /^[0-9a-f]{32}$/;
const HEX_16 = /^[0-9a-f]{16}$/;

/** Milliseconds to three decimals (microseconds), never negative. */
const ms = (value: number): number => (Number.isFinite(value) ? Math.round(Math.max(0, value) * 1000) / 1000 : 0);

/** Exactly ten digits in a row (a UUID's 12-digit last group is not one). */
const TEN_DIGIT_RUN = /(?<!\d)\d{10}(?!\d)/;

/** A client-chosen id, unless it looks like it holds an NHS number. */
function safeId(id: string): string {
  return maskNhsNumbers(id) === id && !TEN_DIGIT_RUN.test(id) ? id : '[redacted]';
}

/** Build the log fields of one request. */
export function requestLogFields(input: RequestLogInput): RequestLogFields {
  const route = routePattern(input.route) === input.route ? input.route : UNMATCHED_ROUTE;
  const params = input.paramNames === undefined ? undefined : [...new Set(input.paramNames.filter((name) => PARAM_NAME.test(name) && !/\d{4,}/.test(name)))];
  const trace = input.trace !== undefined && HEX_32.test(input.trace.traceId) && HEX_16.test(input.trace.spanId) ? input.trace : undefined;
  return {
    requestId: safeId(input.requestId),
    correlationId: safeId(input.correlationId),
    ...(trace !== undefined ? { traceId: trace.traceId, spanId: trace.spanId } : {}),
    route,
    method: methodLabel(input.method),
    status: input.status,
    durationMs: ms(input.durationMs),
    ...(params !== undefined ? { params } : {}),
    ...(input.communities !== undefined
      ? {
          communities: input.communities.map((call) => ({
            community: communityLabel(call.community),
            transaction: call.transaction,
            outcome: call.outcome,
            durationMs: ms(call.durationMs),
          })),
        }
      : {}),
  };
}
