import type { Coding } from 'fhir/r4';

/**
 * The codes a BALP AuditEvent is made of, in one place (IHE ITI Basic Audit Log Patterns 1.1.x, Volume 3 section
 * 3:5.7, https://profiles.ihe.net/ITI/BALP/). Each names the BALP slice or FHIR R4 element it fills.
 */

export const BALP_PROFILES = {
  query: 'https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.Query',
  patientQuery: 'https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientQuery',
  read: 'https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.Read',
  patientRead: 'https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientRead',
} as const;

/** AuditEvent.type: every BALP RESTful pattern. */
export const EVENT_TYPE_REST: Coding = { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'Restful Operation' };

/** AuditEvent.subtype (BALP AllSearchVS / AllReadVS). */
export const RESTFUL_INTERACTION_SYSTEM = 'http://hl7.org/fhir/restful-interaction';

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
/** agent.type of the party the data flows FROM in DICOM/IHE terms (the client of a search, the server of a read). */
export const AGENT_SOURCE_ROLE: Coding = { system: DCM, code: '110153', display: 'Source Role ID' };
export const AGENT_DESTINATION_ROLE: Coding = { system: DCM, code: '110152', display: 'Destination Role ID' };
/** agent[user] of every BALP RESTful pattern. */
export const AGENT_USER: Coding = { system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP', display: 'information recipient' };
/** agent[userorg] (BALP SAMLaccessTokenUse.Comprehensive): the user's organisation. */
export const AGENT_USER_ORGANIZATION: Coding = { system: 'http://terminology.hl7.org/CodeSystem/v3-RoleClass', code: 'PROV', display: 'healthcare provider' };

/** agent.network.type (http://terminology.hl7.org/CodeSystem/network-type). */
export const NETWORK_TYPE = { ipAddress: '2', uri: '5' } as const;

/** AuditEvent.source.type: the facade is an application server. */
export const SOURCE_APPLICATION_SERVER: Coding = { system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' };

const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
export const ENTITY_TYPE_PERSON: Coding = { system: ENTITY_TYPE, code: '1', display: 'Person' };
export const ENTITY_TYPE_SYSTEM_OBJECT: Coding = { system: ENTITY_TYPE, code: '2', display: 'System Object' };
export const ENTITY_ROLE_PATIENT: Coding = { system: OBJECT_ROLE, code: '1', display: 'Patient' };
export const ENTITY_ROLE_DOMAIN_RESOURCE: Coding = { system: OBJECT_ROLE, code: '4', display: 'Domain Resource' };
export const ENTITY_ROLE_QUERY: Coding = { system: OBJECT_ROLE, code: '24', display: 'Query' };
/** entity[transaction] (BALP 3:5.7.3.1): holds the X-Request-ID. */
export const ENTITY_TYPE_X_REQUEST_ID: Coding = {
  system: 'https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType',
  code: 'XrequestId',
  display: 'transport specific unique identifier where http X-Request-Id is used',
};
/**
 * entity for each community contacted: the code BALP gives its agent[homeCommunityId] slice
 * (SAMLaccessTokenUse.Comprehensive), used here on an entity so that entity.detail can carry that community's
 * outcome (an agent has no place for one).
 */
export const ENTITY_TYPE_HOME_COMMUNITY: Coding = { system: 'urn:ihe:iti:xca:2010', code: 'homeCommunityId', display: 'homeCommunityId' };

/** entity.detail.type names this facade uses (free strings in FHIR R4). */
export const DETAIL = {
  correlationId: 'X-Correlation-ID',
  httpStatus: 'http-status',
  transaction: 'ihe-transaction',
  communityOutcome: 'outcome',
  documentCount: 'document-count',
  durationMs: 'duration-ms',
  errorCode: 'error-code',
} as const;

/** Identifier systems. */
export const URI_SYSTEM = 'urn:ietf:rfc:3986';
/** BALP OAUTHaccessTokenUse.Minimal: agent[user].policy carries the jti with this prefix (RFC 3553 URN). */
export const JTI_URN_PREFIX = 'urn:ietf:params:oauth:jti:';
