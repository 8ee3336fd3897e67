import type { AuditEvent } from 'fhir/r4';
import { auditAgents, auditSource } from './audit-agents';
import { auditEntities } from './audit-entities';
import type { AuditInput } from './types';
import { BALP_PROFILES, EVENT_TYPE_REST, RESTFUL_INTERACTION_SYSTEM } from './vocabulary';

/**
 * One request -> one FHIR R4 AuditEvent following IHE BALP (RESTful Query for a search, Read for a read; the
 * Patient* variants when the patient is known). meta.profile claims the BALP profile only for a success, since
 * those profiles fix outcome to 0; a failure follows the same pattern without claiming it (BALP: "a failure
 * AuditEvent may follow this pattern, but would not be a successful outcome").
 * An intent record (no outcome yet) carries no outcome element and says so in outcomeDesc.
 */
export function buildAuditEvent(input: AuditInput): AuditEvent {
  const recorded = input.recorded ?? new Date();
  const { outcome } = input;
  const event: AuditEvent = {
    resourceType: 'AuditEvent',
    ...(outcome?.code === '0' ? { meta: { profile: [profileOf(input)] } } : {}),
    type: EVENT_TYPE_REST,
    subtype: [{ system: RESTFUL_INTERACTION_SYSTEM, code: input.interaction, display: input.interaction }],
    action: input.interaction === 'search' ? 'E' : 'R',
    ...(input.startedAt === undefined ? {} : { period: { start: input.startedAt.toISOString(), ...(outcome === undefined ? {} : { end: recorded.toISOString() }) } }),
    recorded: recorded.toISOString(),
    ...(outcome === undefined
      ? { outcomeDesc: 'Request accepted; outcome not recorded yet' }
      : { outcome: outcome.code, outcomeDesc: `${outcome.description} (HTTP ${outcome.httpStatus})` }),
    agent: auditAgents(input),
    source: auditSource(input),
    entity: auditEntities(input),
  };
  return event;
}

function profileOf(input: AuditInput): string {
  const withPatient = input.patientNhsNumber !== undefined;
  if (input.interaction === 'search') return withPatient ? BALP_PROFILES.patientQuery : BALP_PROFILES.query;
  return withPatient ? BALP_PROFILES.patientRead : BALP_PROFILES.read;
}
