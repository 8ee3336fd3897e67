import type { AuditOutcome, AuditOutcomeCode } from './types';

/**
 * HTTP status -> AuditEvent.outcome (audit-event-outcome): 2xx success (0); 4xx minor failure (4: the request
 * was refused, e.g. invalid or unauthorised); 503 major failure (12: the service, or its audit trail, is
 * unavailable); other 5xx serious failure (8: the action was attempted and terminated, e.g. a gateway failed).
 */
export function outcomeCodeOf(httpStatus: number): AuditOutcomeCode {
  if (httpStatus >= 200 && httpStatus < 400) return '0';
  if (httpStatus >= 400 && httpStatus < 500) return '4';
  if (httpStatus === 503) return '12';
  return '8';
}

/** The outcome of a request answered with `httpStatus`; `description` must hold no patient data. */
export function auditOutcome(httpStatus: number, description?: string): AuditOutcome {
  const code = outcomeCodeOf(httpStatus);
  return { code, httpStatus, description: description ?? (code === '0' ? 'Success' : `Failed with HTTP ${httpStatus}`) };
}
