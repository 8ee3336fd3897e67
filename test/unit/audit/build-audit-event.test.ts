import type { AuditEvent, AuditEventAgent, AuditEventEntity } from 'fhir/r4';
import { buildAuditEvent } from '../../../src/audit/build-audit-event';
import { auditOutcome, outcomeCodeOf } from '../../../src/audit/outcome';
import { sandboxCaller } from '../../../src/security/inbound/claims';
import { NHS_A, readInput, searchInput } from './audit-kit';

const agentOf = (event: AuditEvent, code: string): AuditEventAgent | undefined =>
  event.agent.find((agent) => agent.type?.coding?.some((coding) => coding.code === code));
const entityOf = (event: AuditEvent, code: string): AuditEventEntity[] =>
  (event.entity ?? []).filter((entity) => entity.type?.code === code || entity.role?.code === code);

describe('search -> BALP PatientQuery', () => {
  const started = new Date('2025-06-01T11:59:59Z');
  const event = buildAuditEvent(searchInput(NHS_A, {
    startedAt: started,
    outcome: auditOutcome(200),
    communities: [
      { homeCommunityId: 'urn:oid:1.2.3.4', name: 'Community A', transaction: 'ITI-38', outcome: 'success', documentCount: 3, durationMs: 120.4 },
      { homeCommunityId: 'urn:oid:1.2.3.5', transaction: 'ITI-38', outcome: 'timeout', errorCode: 'UPSTREAM_TIMEOUT' },
    ],
  }));

  test('type rest, subtype search, action E, outcome 0, PatientQuery profile', () => {
    expect(event.meta?.profile).toEqual(['https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientQuery']);
    expect(event.type).toMatchObject({ system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest' });
    expect(event.subtype).toEqual([{ system: 'http://hl7.org/fhir/restful-interaction', code: 'search', display: 'search' }]);
    expect(event.action).toBe('E');
    expect(event.outcome).toBe('0');
    expect(event.outcomeDesc).toBe('Success (HTTP 200)');
    expect(event.recorded).toBe('2025-06-01T12:00:00.000Z');
    expect(event.period).toEqual({ start: '2025-06-01T11:59:59.000Z', end: '2025-06-01T12:00:00.000Z' });
  });

  test('client is Source Role ID, facade is Destination Role ID (query pattern)', () => {
    expect(agentOf(event, '110153')).toMatchObject({ who: { identifier: { value: 'viewer-app' } }, requestor: false, network: { address: '192.0.2.10', type: '2' } });
    expect(agentOf(event, '110152')).toMatchObject({ who: { display: 'mhd-xca-facade' }, network: { address: 'https://facade.test.invalid/fhir', type: '5' } });
  });

  test('the user: issuer + subject, name, role, purpose of use, jti policy; the organisation by ODS code', () => {
    expect(agentOf(event, 'IRCP')).toEqual({
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP', display: 'information recipient' }] },
      who: { identifier: { system: 'https://issuer.test.invalid', value: 'user-123' }, display: 'Dr Ada Lovelace' },
      name: 'Dr Ada Lovelace',
      requestor: true,
      role: [{ coding: [{ system: 'https://fhir.nhs.uk/CodeSystem/NHSDigital-SDS-JobRoleCode', code: 'R8000', display: 'Clinical Practitioner Access Role' }] }],
      purposeOfUse: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT', display: 'treatment' }] }],
      policy: ['urn:ietf:params:oauth:jti:jti-1'],
    });
    expect(agentOf(event, 'PROV')).toMatchObject({ who: { identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'RR8' }, display: 'Leeds Teaching Hospitals' }, requestor: false });
  });

  test('the facade observes: source is an application server', () => {
    expect(event.source).toMatchObject({ site: 'mhd-xca-facade', observer: { display: 'mhd-xca-facade' }, type: [{ code: '4' }] });
  });

  test('entities: request ids and status, patient by NHS number, the raw query in base64', () => {
    const [transaction] = entityOf(event, 'XrequestId');
    expect(transaction).toEqual({
      what: { identifier: { value: 'req-1' } },
      type: expect.objectContaining({ system: 'https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType', code: 'XrequestId' }),
      detail: [{ type: 'X-Correlation-ID', valueString: 'corr-1' }, { type: 'http-status', valueString: '200' }],
    });
    const [patient] = entityOf(event, '1');
    expect(patient?.what).toEqual({ type: 'Patient', identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: NHS_A } });
    const [query] = entityOf(event, '24');
    expect(Buffer.from(query?.query ?? '', 'base64').toString('utf8')).toBe(searchInput(NHS_A).query);
    expect(query?.what).toBeUndefined(); // BALP: entity[query].what 0..0
  });

  test('one entity per community with its outcome as details', () => {
    const communities = entityOf(event, 'homeCommunityId');
    expect(communities).toHaveLength(2);
    expect(communities[0]).toMatchObject({
      what: { identifier: { system: 'urn:ietf:rfc:3986', value: 'urn:oid:1.2.3.4' }, display: 'Community A' },
      detail: [
        { type: 'ihe-transaction', valueString: 'ITI-38' }, { type: 'outcome', valueString: 'success' },
        { type: 'document-count', valueString: '3' }, { type: 'duration-ms', valueString: '120' },
      ],
    });
    expect(communities[1]?.detail).toContainEqual({ type: 'error-code', valueString: 'UPSTREAM_TIMEOUT' });
  });
});

describe('read -> BALP PatientRead', () => {
  test('action R, roles swapped (the data flows to the client), the document as entity[data]', () => {
    const event = buildAuditEvent(readInput(NHS_A, { outcome: auditOutcome(200) }));
    expect(event.meta?.profile).toEqual(['https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientRead']);
    expect(event.action).toBe('R');
    expect(event.subtype?.[0]?.code).toBe('read');
    expect(event.agent[0]?.type?.coding?.[0]?.code).toBe('110152'); // client: Destination Role ID
    expect(event.agent[1]?.type?.coding?.[0]?.code).toBe('110153'); // server: Source Role ID
    expect(entityOf(event, '4')).toEqual([{ what: { reference: 'DocumentReference/doc-42' }, type: expect.objectContaining({ code: '2' }), role: expect.objectContaining({ code: '4' }) }]);
    expect(entityOf(event, '24')).toEqual([]);
  });
});

describe('outcomes', () => {
  test('an intent has no outcome yet and claims no profile', () => {
    const event = buildAuditEvent(searchInput(NHS_A, { startedAt: new Date('2025-06-01T11:59:59Z') }));
    expect(event.outcome).toBeUndefined();
    expect(event.outcomeDesc).toMatch(/not recorded yet/);
    expect(event.meta).toBeUndefined();
    expect(event.period).toEqual({ start: '2025-06-01T11:59:59.000Z' });
    expect(entityOf(event, 'XrequestId')[0]?.detail).toEqual([{ type: 'X-Correlation-ID', valueString: 'corr-1' }]);
  });

  test('a failure keeps the pattern but not the success profile', () => {
    const event = buildAuditEvent(searchInput(NHS_A, { outcome: auditOutcome(502, 'Every community failed') }));
    expect(event.outcome).toBe('8');
    expect(event.outcomeDesc).toBe('Every community failed (HTTP 502)');
    expect(event.meta).toBeUndefined();
  });

  test.each([[200, '0'], [304, '0'], [400, '4'], [401, '4'], [403, '4'], [404, '4'], [429, '4'], [500, '8'], [502, '8'], [504, '8'], [503, '12']])(
    'HTTP %i -> outcome %s', (status, code) => {
      expect(outcomeCodeOf(status)).toBe(code);
    });

  test('an unauthenticated sandbox caller is still named', () => {
    const event = buildAuditEvent(searchInput(NHS_A, { caller: sandboxCaller() }));
    expect(event.agent[0]?.who?.display).toMatch(/sandbox/);
    expect(event.agent[2]?.who?.identifier).toEqual({ value: 'sandbox-user' });
  });
});
