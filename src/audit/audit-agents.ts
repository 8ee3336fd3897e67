import type { AuditEventAgent, AuditEventSource, Identifier } from 'fhir/r4';
import { loadAuthClaims } from '../security/inbound/claims-table';
import type { AuditInput } from './types';
import {
  AGENT_DESTINATION_ROLE, AGENT_SOURCE_ROLE, AGENT_USER, AGENT_USER_ORGANIZATION, JTI_URN_PREFIX, NETWORK_TYPE,
  SOURCE_APPLICATION_SERVER, URI_SYSTEM,
} from './vocabulary';

/**
 * AuditEvent.agent and .source per BALP 3:5.7.3: a search is a Query (client = Source Role ID, server =
 * Destination Role ID); a read has the roles the other way round (the data flows to the client). The person is
 * agent[user] (IRCP) with role and purpose of use (OAuth mapping, BALP 3:5.7.5.4); their organisation is
 * agent[userorg] (SAML Comprehensive) identified by its ODS code.
 */

function clientAgent(input: AuditInput): AuditEventAgent {
  const { caller } = input;
  const who = caller.clientId !== undefined
    ? { identifier: { value: caller.clientId }, display: caller.clientId }
    : { display: caller.via === 'sandbox-open' ? 'sandbox client (no credentials required)' : 'unidentified client application' };
  return {
    type: { coding: [input.interaction === 'read' ? AGENT_DESTINATION_ROLE : AGENT_SOURCE_ROLE] },
    who,
    requestor: false,
    ...(input.clientAddress === undefined ? {} : { network: { address: input.clientAddress, type: NETWORK_TYPE.ipAddress } }),
  };
}

function serverAgent(input: AuditInput): AuditEventAgent {
  return {
    type: { coding: [input.interaction === 'read' ? AGENT_SOURCE_ROLE : AGENT_DESTINATION_ROLE] },
    who: { identifier: { system: URI_SYSTEM, value: input.facade.baseUrl }, display: input.facade.name },
    requestor: false,
    network: { address: input.facade.baseUrl, type: NETWORK_TYPE.uri },
  };
}

function userAgent(input: AuditInput): AuditEventAgent {
  const { caller } = input;
  const identifier: Identifier = caller.issuer === undefined ? { value: caller.subject } : { system: caller.issuer, value: caller.subject };
  return {
    type: { coding: [AGENT_USER] },
    who: { identifier, display: caller.subjectName },
    name: caller.subjectName,
    requestor: true,
    role: [{ coding: [{ ...caller.role }] }],
    purposeOfUse: [{ coding: [{ ...caller.purposeOfUse }] }],
    ...(caller.tokenId === undefined ? {} : { policy: [`${JTI_URN_PREFIX}${caller.tokenId}`] }),
  };
}

function userOrganizationAgent(input: AuditInput): AuditEventAgent {
  const { caller } = input;
  return {
    type: { coding: [AGENT_USER_ORGANIZATION] },
    who: { identifier: { system: loadAuthClaims().organizationIdentifierSystem, value: caller.organizationId }, display: caller.organization },
    requestor: false,
  };
}

/** The four agents of one request: client, server, user, user's organisation. */
export function auditAgents(input: AuditInput): AuditEventAgent[] {
  return [clientAgent(input), serverAgent(input), userAgent(input), userOrganizationAgent(input)];
}

/** The facade records its own events: source.observer is the facade. */
export function auditSource(input: AuditInput): AuditEventSource {
  return {
    site: input.facade.name,
    observer: { identifier: { system: URI_SYSTEM, value: input.facade.baseUrl }, display: input.facade.name },
    type: [SOURCE_APPLICATION_SERVER],
  };
}
