import type { AuditEvent } from 'fhir/r4';
import type { Caller } from '../security/inbound/types';

/** The FHIR interactions this facade audits (http://hl7.org/fhir/restful-interaction). */
export type AuditInteraction = 'search' | 'read';

/** AuditEvent.outcome (http://terminology.hl7.org/CodeSystem/audit-event-outcome). */
export type AuditOutcomeCode = '0' | '4' | '8' | '12';

export interface AuditOutcome {
  readonly code: AuditOutcomeCode;
  /** Short human text, no patient data (becomes outcomeDesc). */
  readonly description: string;
  /** The HTTP status the facade answered with. */
  readonly httpStatus: number;
}

/** One community the facade contacted for the request, and how that went. */
export interface CommunityContact {
  /** homeCommunityId, `urn:oid:...`. */
  readonly homeCommunityId: string;
  readonly name?: string;
  readonly transaction: 'ITI-38' | 'ITI-39' | 'RAD-75';
  readonly outcome: 'success' | 'partial-success' | 'failure' | 'timeout';
  readonly documentCount?: number;
  readonly durationMs?: number;
  /** XDS RegistryError code or this service's error code, never free text from upstream. */
  readonly errorCode?: string;
}

/** Everything buildAuditEvent needs to know about one request. */
export interface AuditInput {
  readonly interaction: AuditInteraction;
  /** The FHIR resource type asked for: DocumentReference, Binary, ImagingStudy. */
  readonly resourceType: string;
  readonly caller: Caller;
  readonly requestId: string;
  readonly correlationId: string;
  /** The facade itself: its name and public FHIR base URL (server agent, source observer). */
  readonly facade: { readonly name: string; readonly baseUrl: string };
  /** The client's network address as the server saw it (IP). */
  readonly clientAddress?: string;
  /** NHS number of the patient the request is about, when known. */
  readonly patientNhsNumber?: string;
  /** search: the raw request as received, e.g. `GET /fhir/DocumentReference?patient.identifier=...`. */
  readonly query?: string;
  /** read: the logical id read. */
  readonly resourceId?: string;
  readonly communities?: readonly CommunityContact[];
  /** Absent for an intent record (the request is accepted, its answer not yet known). */
  readonly outcome?: AuditOutcome;
  /** When the request arrived (period.start of the outcome record). */
  readonly startedAt?: Date;
  /** When this record is made; default now. */
  readonly recorded?: Date;
}

export type AuditPhase = 'intent' | 'outcome';

/** One line of the audit file (and one Redis stream entry, encrypted). */
export interface AuditRecord {
  readonly id: string;
  readonly phase: AuditPhase;
  /** ISO time the line was written. */
  readonly at: string;
  readonly event: AuditEvent;
}
