/** The audit trail: BALP AuditEvents, durable in an fsync'd JSON-lines file, mirrored encrypted to Redis. */
export { buildAuditEvent } from './build-audit-event';
export { auditOutcome, outcomeCodeOf } from './outcome';
export { createAuditTrail, type AuditTrail, type AuditTrailOptions } from './audit-trail';
export { readAuditStream, type RedisAuditOptions } from './redis-mirror';
export { searchAudit, readAuditRecords, type AuditQuery } from './search-audit';
export { AuditUnavailableError } from './errors';
export type { AuditInput, AuditInteraction, AuditOutcome, AuditOutcomeCode, AuditPhase, AuditRecord, CommunityContact } from './types';
