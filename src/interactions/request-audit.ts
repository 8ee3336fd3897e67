import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { auditOutcome, buildAuditEvent, type AuditInput, type AuditTrail, type CommunityContact } from '../audit';

/**
 * The audit of one request (IHE BALP): the interaction records its INTENT durably before it contacts any community
 * (a failure refuses the request with 503), notes each community contacted, and the HTTP edge records the OUTCOME
 * with the same id when the response ends. A crash in between leaves the intent: nothing is lost.
 */
export interface AuditScope {
  /** Durably record that the request is about to be served (throws AuditUnavailableError). */
  begin(patientNhsNumber?: string): Promise<void>;
  /** The patient, once known (e.g. a read learns it from the document). */
  patient(nhsNumber: string): void;
  /** A community contacted for this request, and how it went. */
  contact(contact: CommunityContact): void;
}

/** Requests that are not audited (metadata, health). */
export const NO_AUDIT: AuditScope = {
  begin: async () => undefined,
  patient: () => undefined,
  contact: () => undefined,
};

type AuditBase = Omit<AuditInput, 'outcome' | 'communities' | 'patientNhsNumber' | 'recorded'>;

export class RequestAudit implements AuditScope {
  private id: string | undefined;
  private nhsNumber: string | undefined;
  private readonly contacts: CommunityContact[] = [];

  constructor(
    private readonly trail: AuditTrail,
    private readonly base: AuditBase,
    private readonly logger: Logger,
  ) {}

  async begin(patientNhsNumber?: string): Promise<void> {
    if (patientNhsNumber !== undefined) this.nhsNumber = patientNhsNumber;
    if (this.id !== undefined) return;
    this.id = await this.trail.recordIntent(buildAuditEvent({ ...this.base, ...(this.nhsNumber ? { patientNhsNumber: this.nhsNumber } : {}) }));
  }

  patient(nhsNumber: string): void {
    this.nhsNumber = nhsNumber;
  }

  contact(contact: CommunityContact): void {
    this.contacts.push(contact);
  }

  /** Record the outcome (after the response); a request refused before `begin` gets an outcome record alone. */
  async end(httpStatus: number, description: string): Promise<void> {
    const event = buildAuditEvent({
      ...this.base,
      ...(this.nhsNumber ? { patientNhsNumber: this.nhsNumber } : {}),
      communities: this.contacts,
      outcome: auditOutcome(httpStatus, description),
    });
    try {
      await this.trail.recordOutcome(this.id ?? randomUUID(), event);
    } catch (err) {
      // The answer has been sent; the intent (when there was one) is on disk. Say so loudly, never silently.
      this.logger.error({ auditId: this.id, err: err instanceof Error ? err.message : String(err) }, 'audit outcome could not be written');
    }
  }
}
