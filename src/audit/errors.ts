/**
 * The audit trail cannot record: the request must be refused (503) rather than served unaudited. `code` names
 * the error-catalogue entry it should become (AUDIT_UNAVAILABLE, 503, issue transient, Spine SERVICE_UNAVAILABLE).
 */
export class AuditUnavailableError extends Error {
  readonly code = 'AUDIT_UNAVAILABLE' as const;
  readonly status = 503 as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuditUnavailableError';
  }
}
