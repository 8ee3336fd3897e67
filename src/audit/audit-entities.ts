import type { AuditEventEntity, AuditEventEntityDetail } from 'fhir/r4';
import { NHS_NUMBER_SYSTEM } from '../nhs/nhs-number';
import type { AuditInput, CommunityContact } from './types';
import {
  DETAIL, ENTITY_ROLE_DOMAIN_RESOURCE, ENTITY_ROLE_PATIENT, ENTITY_ROLE_QUERY, ENTITY_TYPE_HOME_COMMUNITY, ENTITY_TYPE_PERSON,
  ENTITY_TYPE_SYSTEM_OBJECT, ENTITY_TYPE_X_REQUEST_ID, URI_SYSTEM,
} from './vocabulary';

/**
 * AuditEvent.entity per BALP: entity[transaction] (X-Request-ID, 3:5.7.3.1; here also the correlation id and the
 * final HTTP status as details), entity[patient] (PatientQuery / PatientRead: the NHS number as a logical
 * reference), entity[query] for a search (the raw request, base64, as BALP requires) or entity[data] for a read,
 * and one entity per community contacted, its outcome in entity.detail (an agent could not carry it).
 */

const detail = (type: string, value: string | number): AuditEventEntityDetail => ({ type, valueString: String(value) });

function transactionEntity(input: AuditInput): AuditEventEntity {
  const details = [detail(DETAIL.correlationId, input.correlationId)];
  if (input.outcome !== undefined) details.push(detail(DETAIL.httpStatus, input.outcome.httpStatus));
  return { what: { identifier: { value: input.requestId } }, type: ENTITY_TYPE_X_REQUEST_ID, detail: details };
}

function patientEntity(nhsNumber: string): AuditEventEntity {
  return {
    what: { type: 'Patient', identifier: { system: NHS_NUMBER_SYSTEM, value: nhsNumber } },
    type: ENTITY_TYPE_PERSON,
    role: ENTITY_ROLE_PATIENT,
  };
}

function queryEntity(query: string): AuditEventEntity {
  return { type: ENTITY_TYPE_SYSTEM_OBJECT, role: ENTITY_ROLE_QUERY, query: Buffer.from(query, 'utf8').toString('base64') };
}

function dataEntity(resourceType: string, id: string): AuditEventEntity {
  return { what: { reference: `${resourceType}/${id}` }, type: ENTITY_TYPE_SYSTEM_OBJECT, role: ENTITY_ROLE_DOMAIN_RESOURCE };
}

function communityEntity(community: CommunityContact): AuditEventEntity {
  const details = [detail(DETAIL.transaction, community.transaction), detail(DETAIL.communityOutcome, community.outcome)];
  if (community.documentCount !== undefined) details.push(detail(DETAIL.documentCount, community.documentCount));
  if (community.durationMs !== undefined) details.push(detail(DETAIL.durationMs, Math.round(community.durationMs)));
  if (community.errorCode !== undefined) details.push(detail(DETAIL.errorCode, community.errorCode));
  return {
    what: { identifier: { system: URI_SYSTEM, value: community.homeCommunityId }, ...(community.name === undefined ? {} : { display: community.name }) },
    type: ENTITY_TYPE_HOME_COMMUNITY,
    detail: details,
  };
}

/** All entities of one request, in a fixed order: transaction, patient, query or data, communities. */
export function auditEntities(input: AuditInput): AuditEventEntity[] {
  const entities = [transactionEntity(input)];
  if (input.patientNhsNumber !== undefined) entities.push(patientEntity(input.patientNhsNumber));
  if (input.interaction === 'search' && input.query !== undefined) entities.push(queryEntity(input.query));
  if (input.interaction === 'read' && input.resourceId !== undefined) entities.push(dataEntity(input.resourceType, input.resourceId));
  for (const community of input.communities ?? []) entities.push(communityEntity(community));
  return entities;
}

/** The NHS number of entity[patient], if the event has one (for searchAudit). */
export function patientNhsNumberOf(entities: readonly AuditEventEntity[] | undefined): string | undefined {
  for (const entity of entities ?? []) {
    const { role, what } = entity;
    const identifier = what?.identifier;
    if (role !== undefined && role.code === ENTITY_ROLE_PATIENT.code && role.system === ENTITY_ROLE_PATIENT.system && identifier?.system === NHS_NUMBER_SYSTEM) {
      return identifier.value;
    }
  }
  return undefined;
}
