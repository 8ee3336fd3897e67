import type { Logger } from 'pino';
import type { Community } from '../xca/model';
import type { CommunityHealth } from './community-health';

/** What the interactions need from the running service; built once in app.ts, passed in (no globals). */
export interface Services {
  readonly communities: readonly Community[];
  readonly patientAssigningAuthority: string;
  readonly maxUpstreamResponseBytes: number;
  readonly health: CommunityHealth;
  readonly logger: Logger;
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
}
