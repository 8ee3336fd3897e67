import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AuditInput } from '../../../src/audit/types';
import type { Caller } from '../../../src/security/inbound/types';

/** Inputs for audit tests: a verified clinician, a search and a read for test NHS numbers. */

export const NHS_A = '9000000009';
export const NHS_B = '9000000017';

export const clinician: Caller = {
  subject: 'user-123', subjectName: 'Dr Ada Lovelace', organization: 'Leeds Teaching Hospitals', organizationId: 'RR8',
  role: { system: 'https://fhir.nhs.uk/CodeSystem/NHSDigital-SDS-JobRoleCode', code: 'R8000', display: 'Clinical Practitioner Access Role' },
  purposeOfUse: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT', display: 'treatment' },
  scopes: ['user/DocumentReference.rs'], via: 'jwt', issuer: 'https://issuer.test.invalid', clientId: 'viewer-app', tokenId: 'jti-1',
};

export const FACADE = { name: 'mhd-xca-facade', baseUrl: 'https://facade.test.invalid/fhir' } as const;

export function searchInput(nhsNumber: string, extra: Partial<AuditInput> = {}): AuditInput {
  return {
    interaction: 'search', resourceType: 'DocumentReference', caller: clinician,
    requestId: 'req-1', correlationId: 'corr-1', facade: FACADE, clientAddress: '192.0.2.10',
    patientNhsNumber: nhsNumber,
    query: `GET /fhir/DocumentReference?patient.identifier=https://fhir.nhs.uk/Id/nhs-number|${nhsNumber}&status=current`,
    recorded: new Date('2025-06-01T12:00:00Z'),
    ...extra,
  };
}

export function readInput(nhsNumber: string, extra: Partial<AuditInput> = {}): AuditInput {
  return {
    interaction: 'read', resourceType: 'DocumentReference', caller: clinician,
    requestId: 'req-2', correlationId: 'corr-2', facade: FACADE, patientNhsNumber: nhsNumber, resourceId: 'doc-42',
    recorded: new Date('2025-06-01T12:05:00Z'),
    ...extra,
  };
}

export function tempFile(name = 'audit.jsonl'): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'audit-')), name);
}

/** The lines of a JSON-lines file, parsed. */
export function readLines(file: string): { id: string; phase: string; at: string; event: { id?: string; outcome?: string } }[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as never);
}
