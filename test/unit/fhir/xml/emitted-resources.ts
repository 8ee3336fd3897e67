import fs from 'node:fs';
import type { Binary, DocumentReference, Resource } from 'fhir/r4';
import { createAuditTrail } from '../../../../src/audit/audit-trail';
import { buildAuditEvent } from '../../../../src/audit/build-audit-event';
import { auditOutcome } from '../../../../src/audit/outcome';
import { fromRoot } from '../../../../src/config/paths';
import { FacadeError } from '../../../../src/errors/facade-error';
import { searchsetBundle } from '../../../../src/fhir/bundle';
import { toDocumentReference } from '../../../../src/fhir/document-reference';
import { binaryId } from '../../../../src/fhir/ids';
import { toImagingStudy } from '../../../../src/fhir/imaging-study';
import { catalogueIssue, operationOutcome, outcomeFromError } from '../../../../src/fhir/operation-outcome';
import { parseKosManifest } from '../../../../src/imaging/kos';
import { capabilityStatement } from '../../../../src/interactions/capability-statement';
import { NO_AUDIT } from '../../../../src/interactions/request-audit';
import { searchAuditEvents } from '../../../../src/interactions/search-audit-events';
import type { RequestContext } from '../../../../src/interactions/services';
import type { RimExtrinsicObject } from '../../../../src/xca/model';
import { NHS_A, readInput, searchInput, tempFile } from '../../audit/audit-kit';
import { seedKosBytes } from '../../imaging/dicom-fixtures';
import { BASE_URL, COMMUNITY, NHS_NUMBER, kosManifest, pdfReport } from '../document-entry-fixtures';

/**
 * One realistic instance of every resource kind the service emits, each built by the service's own code:
 * DocumentReference (PDF report, MADO KOS), the ITI-67 searchset Bundle with an outcome entry, OperationOutcome,
 * CapabilityStatement, Binary, ImagingStudy (seed KOS, contained Endpoint), AuditEvents and their search Bundle.
 */

/** The kinds, in the order emittedResources() returns them (test names are fixed before the instances exist). */
export const EMITTED_KINDS = [
  'DocumentReference (PDF report)',
  'DocumentReference (MADO KOS)',
  'Bundle (ITI-67 searchset with outcome)',
  'OperationOutcome (error)',
  'CapabilityStatement',
  'Binary',
  'ImagingStudy (seed KOS)',
  'AuditEvent (BALP PatientQuery)',
  'Bundle (AuditEvent search)',
] as const;

export interface Emitted {
  readonly name: (typeof EMITTED_KINDS)[number];
  readonly resource: Resource;
}

export function documentReference(entry: RimExtrinsicObject): DocumentReference {
  const result = toDocumentReference(entry, { community: COMMUNITY, nhsNumber: NHS_NUMBER, baseUrl: BASE_URL });
  if (!result.ok) throw new Error(`fixture did not map: ${result.reason}`);
  return result.resource;
}

function binary(): Binary {
  // The shape http/binary.ts sendBinaryResource gives a retrieved document (it builds it inline).
  const bytes = fs.readFileSync(fromRoot('src', 'sandbox', 'seed', 'content', 'report-1.pdf'));
  const id = binaryId({ communityKey: COMMUNITY.key, repositoryUniqueId: '1.2.826.0.1285.0.2.0.9.1', documentUniqueId: '1.2.826.0.1285.0.2.0.9.2.1234' });
  return { resourceType: 'Binary', id: id ?? 'binary-1', contentType: 'application/pdf', data: bytes.toString('base64') };
}

async function auditBundle(): Promise<Resource> {
  const file = tempFile();
  const trail = createAuditTrail({ file });
  const started = new Date('2025-06-01T09:00:00Z');
  const id = await trail.recordIntent(buildAuditEvent(searchInput(NHS_A, { startedAt: started, recorded: started })));
  await trail.recordOutcome(id, buildAuditEvent(searchInput(NHS_A, { startedAt: started, outcome: auditOutcome(200) })));
  await trail.recordIntent(buildAuditEvent(readInput(NHS_A, { startedAt: new Date('2025-06-02T10:00:00Z') })));
  await trail.close();
  const ctx = { baseUrl: BASE_URL, audit: NO_AUDIT } as unknown as RequestContext;
  return searchAuditEvents(ctx, file, [['patient.identifier', `https://fhir.nhs.uk/Id/nhs-number|${NHS_A}`]]);
}

/** Every emitted resource kind, freshly built. */
export async function emittedResources(): Promise<Emitted[]> {
  const pdf = documentReference(pdfReport());
  const kos = documentReference(kosManifest());
  const partial = operationOutcome([catalogueIssue('UPSTREAM_TIMEOUT', 'Community B did not answer in time', { severity: 'warning' })]);
  const bundle = searchsetBundle({
    baseUrl: BASE_URL,
    matches: [pdf, kos],
    total: 2,
    links: [{ relation: 'self', url: `${BASE_URL}/DocumentReference?patient.identifier=https://fhir.nhs.uk/Id/nhs-number|${NHS_NUMBER}` }],
    outcome: partial,
  });
  const error = outcomeFromError(new FacadeError('INVALID_PARAMETER', "Unknown search parameter 'foo'", { expression: 'foo', details: ['also: bar'] }));
  const study = toImagingStudy(parseKosManifest(seedKosBytes()), { id: 'kos-b-1', nhsNumber: NHS_NUMBER, dicomWebBase: 'https://facade.example/dicomweb/kos-b-1', eventModalities: ['CT'] });
  const audit = buildAuditEvent(searchInput(NHS_A, { startedAt: new Date('2025-06-01T11:59:59Z'), outcome: auditOutcome(200) }));
  return [
    { name: 'DocumentReference (PDF report)', resource: pdf },
    { name: 'DocumentReference (MADO KOS)', resource: kos },
    { name: 'Bundle (ITI-67 searchset with outcome)', resource: bundle },
    { name: 'OperationOutcome (error)', resource: error },
    { name: 'CapabilityStatement', resource: capabilityStatement(BASE_URL, '0.1.0') },
    { name: 'Binary', resource: binary() },
    { name: 'ImagingStudy (seed KOS)', resource: study },
    { name: 'AuditEvent (BALP PatientQuery)', resource: audit },
    { name: 'Bundle (AuditEvent search)', resource: await auditBundle() },
  ];
}
