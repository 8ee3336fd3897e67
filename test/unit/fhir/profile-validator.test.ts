import type { DocumentReference } from 'fhir/r4';
import { toDocumentReference } from '../../../src/fhir/document-reference';
import { validateResource } from '../../../src/fhir/profile-validator';
import { BASE_URL, COMMUNITY, NHS_NUMBER, kosManifest, pdfReport } from './document-entry-fixtures';

const SPINE = 'https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode';

function documentReference(): DocumentReference {
  const result = toDocumentReference(pdfReport(), { community: COMMUNITY, nhsNumber: NHS_NUMBER, baseUrl: BASE_URL });
  if (!result.ok) throw new Error(result.reason);
  return result.resource;
}

/** A JSON copy with `change` applied (resources are plain JSON, so this is a deep copy). */
function variant<T>(resource: T, change: (copy: Record<string, unknown>) => void): unknown {
  const copy = JSON.parse(JSON.stringify(resource)) as Record<string, unknown>;
  change(copy);
  return copy;
}

const outcome = {
  resourceType: 'OperationOutcome',
  issue: [
    {
      severity: 'warning',
      code: 'incomplete',
      details: { coding: [{ system: SPINE, version: '1', code: 'UNABLE_TO_CALL_SERVICE', display: 'Unable to call service' }] },
      diagnostics: "Community 'B' timed out",
    },
  ],
};

function bundle(entries: unknown[]): Record<string, unknown> {
  return { resourceType: 'Bundle', id: 'b1', type: 'searchset', total: 1, link: [{ relation: 'self', url: `${BASE_URL}/DocumentReference?patient.identifier=x` }], entry: entries };
}

describe('validateResource: DocumentReference (MHD Minimal + NHS)', () => {
  it('accepts the mapped report and KOS', () => {
    expect(validateResource(documentReference(), 'DocumentReference')).toEqual({ valid: true, errors: [] });
    const kos = toDocumentReference(kosManifest(), { community: COMMUNITY, nhsNumber: NHS_NUMBER, baseUrl: BASE_URL });
    expect(kos.ok && validateResource(kos.resource, 'DocumentReference').valid).toBe(true);
  });

  it.each<[string, (d: Record<string, unknown>) => void, string]>([
    ['no subject', (d) => delete d.subject, "/ must have required property 'subject'"],
    ['a subject that is not an NHS number', (d) => (d.subject = { identifier: { system: 'urn:oid:1.2.3', value: '9000000009' } }), '/subject/identifier/system must be equal to constant "https://fhir.nhs.uk/Id/nhs-number"'],
    ['a 9-digit NHS number', (d) => (d.subject = { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '900000000' } }), '/subject/identifier/value must match pattern "^[0-9]{10}$"'],
    ['status entered-in-error', (d) => (d.status = 'entered-in-error'), '/status must be equal to one of the allowed values ["current","superseded"]'],
    ['an unknown top-level key', (d) => (d.foo = 1), "/ must NOT have additional properties 'foo'"],
    ['docStatus (0..0 in MHD)', (d) => (d.docStatus = 'final'), "/ must NOT have additional properties 'docStatus'"],
    ['no masterIdentifier', (d) => delete d.masterIdentifier, "/ must have required property 'masterIdentifier'"],
    ['no content', (d) => (d.content = []), '/content must NOT have fewer than 1 items'],
    ['two contents', (d) => (d.content = [...(d.content as unknown[]), ...(d.content as unknown[])]), '/content must NOT have more than 1 items'],
    ['inline data', (d) => ((d.content as { attachment: Record<string, unknown> }[])[0]!.attachment.data = 'AAAA'), '/content/0/attachment must NOT be valid'],
    ['no attachment url', (d) => delete (d.content as { attachment: Record<string, unknown> }[])[0]!.attachment.url, "/content/0/attachment must have required property 'url'"],
    ['no MHD Minimal profile', (d) => (d.meta = { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-DocumentReference'] }), '/meta/profile must contain at least 1 valid item(s)'],
    ['a contained Observation', (d) => (d.contained = [{ resourceType: 'Observation', id: 'o1' }]), '/contained/0/resourceType must be equal to one of the allowed values ["Practitioner","Organization","Patient"]'],
    ['a date that is not an instant', (d) => (d.date = '2024-01-15'), '/date must match pattern'],
  ])('refuses %s', (_label, change, error) => {
    const result = validateResource(variant(documentReference(), change), 'DocumentReference');
    expect(result.valid).toBe(false);
    expect(result.errors.some((e) => e.startsWith(error))).toBe(true);
  });
});

describe('validateResource: OperationOutcome (Spine coding)', () => {
  it('accepts an issue with the Spine error code', () => {
    expect(validateResource(outcome, 'OperationOutcome')).toEqual({ valid: true, errors: [] });
  });

  it.each<[string, (o: Record<string, unknown>) => void]>([
    ['no issue', (o) => (o.issue = [])],
    ['no details', (o) => delete (o.issue as Record<string, unknown>[])[0]!.details],
    ['a coding outside the Spine system', (o) => ((o.issue as { details: unknown }[])[0]!.details = { coding: [{ system: 'http://example.org', version: '1', code: 'X' }] })],
    ['a Spine coding without version 1', (o) => ((o.issue as { details: unknown }[])[0]!.details = { coding: [{ system: SPINE, code: 'NO_RECORD_FOUND' }] })],
    ['an unknown issue code', (o) => ((o.issue as Record<string, unknown>[])[0]!.code = 'oops')],
  ])('refuses %s', (_label, change) => {
    expect(validateResource(variant(outcome, change), 'OperationOutcome').valid).toBe(false);
  });
});

describe('validateResource: searchset Bundle', () => {
  const match = () => ({ fullUrl: `${BASE_URL}/DocumentReference/x`, resource: documentReference(), search: { mode: 'match' } });
  const outcomeEntry = { fullUrl: 'urn:uuid:0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0', resource: outcome, search: { mode: 'outcome' } };

  it('accepts matches and an outcome entry, and an empty searchset', () => {
    expect(validateResource(bundle([match(), outcomeEntry]), 'Bundle')).toEqual({ valid: true, errors: [] });
    expect(validateResource({ ...bundle([]), total: 0, entry: undefined }, 'Bundle').valid).toBe(true);
  });

  it('validates match entries as DocumentReferences and outcome entries as OperationOutcomes', () => {
    const badMatch = { ...match(), resource: { ...documentReference(), status: 'entered-in-error' } };
    expect(validateResource(bundle([badMatch]), 'Bundle').errors).toContain('/entry/0/resource/status must be equal to one of the allowed values ["current","superseded"]');
    const outcomeAsMatch = { ...outcomeEntry, search: { mode: 'match' } };
    expect(validateResource(bundle([outcomeAsMatch]), 'Bundle').valid).toBe(false);
    const docAsOutcome = { ...match(), search: { mode: 'outcome' } };
    expect(validateResource(bundle([docAsOutcome]), 'Bundle').valid).toBe(false);
  });

  it.each<[string, (b: Record<string, unknown>) => void]>([
    ['type collection', (b) => (b.type = 'collection')],
    ['no total', (b) => delete b.total],
    ['no self link', (b) => (b.link = [{ relation: 'next', url: 'x' }])],
    ['an entry without fullUrl', (b) => delete (b.entry as Record<string, unknown>[])[0]!.fullUrl],
    ['an entry without search mode', (b) => ((b.entry as Record<string, unknown>[])[0]!.search = {})],
  ])('refuses %s', (_label, change) => {
    expect(validateResource(variant(bundle([match()]), change), 'Bundle').valid).toBe(false);
  });
});
