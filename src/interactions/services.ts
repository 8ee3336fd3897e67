import type { Logger } from 'pino';
import type { Cache, PageCache } from '../cache';
import type { FhirFormat } from '../fhir/serialize';
import type { OutboundSecurity } from '../security/outbound';
import type { Caller } from '../security/inbound';
import type { AuditScope } from './request-audit';
import type { Metrics } from '../observability';
import type { CircuitBreakers } from '../resilience';
import type { Community } from '../xca/model';
import type { CommunityHealth } from './community-health';

/** What the interactions need from the running service; built once in app.ts, passed in (no globals). */
export interface Services {
  readonly communities: readonly Community[];
  readonly patientAssigningAuthority: string;
  readonly maxUpstreamResponseBytes: number;
  readonly health: CommunityHealth;
  readonly logger: Logger;
  /** Query results, documents seen, parsed manifests: encrypted, HMAC-keyed, short-lived. */
  readonly cache: Cache;
  readonly cacheTtlSeconds: number;
  /** Rendered search pages, sealed, in this process only (cache/page-cache.ts). */
  readonly pages: PageCache;
  /** Secret that seals paging cursors (AES-GCM, see cache/cursor.ts). */
  readonly cursorSecret: string;
  /** Mutual TLS and the signed XUA header of each outbound call. */
  readonly outbound: OutboundSecurity;
  readonly metrics: Metrics;
  /** One circuit breaker per community. */
  readonly breakers: CircuitBreakers;
  readonly requestDeadlineMs: number;
}

/** Per-request facts every interaction receives from the HTTP edge. */
export interface RequestContext {
  /** FHIR base URL as the client sees it, e.g. http://localhost:8080/fhir. */
  readonly baseUrl: string;
  readonly requestId: string;
  readonly correlationId: string;
  readonly logger: Logger;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
  /**
   * Who is asking, as far as cached results are concerned (organisation, role, purpose of use): cached results
   * and cursors are only ever served back to the same access context.
   */
  readonly accessContext: string;
  /** The FHIR format negotiated for the answer (JSON unless the route negotiated XML). */
  readonly format: FhirFormat;
  /** `Cache-Control: no-cache`: go upstream and refresh the cache. */
  readonly noCache: boolean;
  /** The authenticated caller (the XUA attributes of every outbound call come from here, and only from here). */
  readonly caller: Caller;
  /** The audit of this request: intent before any upstream call, each community contacted. */
  readonly audit: AuditScope;
  /** Epoch ms by which the whole request (its fan-out included) must be done; `signal` aborts then. */
  readonly deadline: number;
  /** W3C trace context headers for upstream calls (a child span of the caller's traceparent). */
  readonly traceHeaders: Readonly<Record<string, string>>;
}
