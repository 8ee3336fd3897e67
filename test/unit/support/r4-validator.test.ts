import type { DocumentReference, Resource } from 'fhir/r4';
import { validateR4 } from '../../support/r4-validator';
import { EMITTED_KINDS, emittedResources, type Emitted } from '../fhir/xml/emitted-resources';

/** The second validator catches real R4 errors, and passes (or flags, with exact messages) what the service emits. */

const content: DocumentReference['content'] = [{ attachment: { contentType: 'application/pdf', url: 'http://example.org/Binary/1' } }];
const minimal = (extra: Record<string, unknown> = {}): Resource => ({ resourceType: 'DocumentReference', status: 'current', content, ...extra }) as Resource;

describe('validateR4 catches real errors', () => {
  it('accepts a minimal valid DocumentReference', () => {
    expect(validateR4(minimal())).toEqual({ valid: true, issues: [] });
  });

  it('a DocumentReference without content (1..*)', () => {
    const { content: _c, ...without } = minimal() as DocumentReference;
    expect(validateR4(without)).toEqual({ valid: false, issues: ['error DocumentReference.content: Missing required property'] });
  });

  it('a status code outside the required value set', () => {
    expect(validateR4(minimal({ status: 'final' })).issues).toEqual([
      'error DocumentReference.status: "final" is not in the required value set http://hl7.org/fhir/ValueSet/document-reference-status|4.0.1',
    ]);
  });

  it('an element R4 does not define', () => {
    expect(validateR4(minimal({ bogus: true })).issues).toEqual(['error DocumentReference.bogus: Invalid additional property "bogus"']);
  });

  it('wrong JSON types, bad primitive formats, empty arrays and strings, bad ids, unreferenced contained', () => {
    const issues = validateR4(
      minimal({
        id: 'not an id',
        date: '2024-01-15',
        category: [],
        description: ' ',
        contained: [{ resourceType: 'Patient', id: 'p1' }],
        content: [{ attachment: { contentType: 'application/pdf', size: '12' } }],
      }),
    ).issues;
    expect(issues).toEqual(expect.arrayContaining([
      'error DocumentReference.date: Invalid instant format',
      'error DocumentReference.content[0].attachment.size: Invalid JSON type: expected number, but got string',
      'error DocumentReference.category: arrays must not be empty',
      'error DocumentReference.description: strings must not be empty',
      "error DocumentReference.id: 'not an id' is not a valid id",
      'error DocumentReference.contained: dom-3: #p1 is never referenced',
    ]));
  });

  it('errors inside Bundle entries and contained resources, and required bindings there', () => {
    const bundle = {
      resourceType: 'Bundle', type: 'searchset',
      entry: [{ fullUrl: 'urn:uuid:1', resource: minimal({ contained: [{ resourceType: 'Patient', id: 'p', gender: 'f' }], subject: { reference: '#p' } }), search: { mode: 'hit' } }],
    } as Resource;
    expect(validateR4(bundle).issues).toEqual([
      'error Bundle.entry[0].resource.contained[0].gender: "f" is not in the required value set http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1',
      'error Bundle.entry[0].search.mode: "hit" is not in the required value set http://hl7.org/fhir/ValueSet/search-entry-mode|4.0.1',
    ]);
  });

  it('invariants: ext-1 (an extension needs a value or extensions), bdl-5', () => {
    expect(validateR4(minimal({ extension: [{ url: 'https://example.org/x' }] })).issues).toEqual([
      'error DocumentReference.extension[0]: Constraint ext-1 not met: Must have either extensions or value[x], not both',
    ]);
  });

  it('leaves value sets it cannot enumerate alone (BCP-13 media types)', () => {
    expect(validateR4(minimal({ content: [{ attachment: { contentType: 'application/x-made-up' } }] })).valid).toBe(true);
  });
});

describe('validateR4 on every resource kind the service emits', () => {
  let emitted: Emitted[] = [];
  beforeAll(async () => {
    emitted = await emittedResources();
  });

  it('covers all nine kinds', () => {
    expect(emitted.map((e) => e.name)).toEqual([...EMITTED_KINDS]);
    expect(emitted.map((e) => e.resource.resourceType)).toEqual([
      'DocumentReference', 'DocumentReference', 'Bundle', 'OperationOutcome', 'CapabilityStatement', 'Binary', 'ImagingStudy', 'AuditEvent', 'Bundle',
    ]);
  });

  it('passes every resource kind the service emits', () => {
    const results = emitted.map(({ name, resource }): [string, string[]] => [name, validateR4(resource).issues]);
    const flagged = Object.fromEntries(results.filter(([, issues]) => issues.length > 0));
    // It once flagged the CapabilityStatement's empty rest.interaction array (R4 json.html 2.6.2: arrays SHALL NOT
    // be empty); capability-statement.ts now leaves it out.
    expect(flagged).toEqual({});
  });

  /** A copy of an emitted resource with one value replaced (path of keys and indexes). */
  function mutated(name: string, path: ReadonlyArray<string | number>, value: unknown): Resource {
    const copy = JSON.parse(JSON.stringify(emitted.find((e) => e.name === name)?.resource)) as Record<string | number, unknown>;
    const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string | number, unknown>, copy);
    parent[path[path.length - 1] as string | number] = value;
    return copy as unknown as Resource;
  }

  it.each([
    ['AuditEvent (BALP PatientQuery)', ['action'], 'X', 'AuditEvent.action'],
    ['AuditEvent (BALP PatientQuery)', ['agent', 0, 'network', 'type'], '9', 'AuditEvent.agent[0].network.type'],
    ['ImagingStudy (seed KOS)', ['status'], 'done', 'ImagingStudy.status'],
    ['ImagingStudy (seed KOS)', ['contained', 0, 'status'], 'on', 'ImagingStudy.contained[0].status'],
    ['OperationOutcome (error)', ['issue', 1, 'code'], 'oops', 'OperationOutcome.issue[1].code'],
    ['CapabilityStatement', ['rest', 0, 'resource', 1, 'interaction', 0, 'code'], 'fetch', 'CapabilityStatement.rest[0].resource[1].interaction[0].code'],
    ['CapabilityStatement', ['rest', 0, 'resource', 0, 'type'], 'Document', 'CapabilityStatement.rest[0].resource[0].type'],
    ['Bundle (ITI-67 searchset with outcome)', ['entry', 1, 'resource', 'status'], 'final', 'Bundle.entry[1].resource.status'],
    ['Bundle (AuditEvent search)', ['entry', 0, 'resource', 'outcome'], '1', 'Bundle.entry[0].resource.outcome'],
  ])('a wrong code in %s at %j is caught', (name, path, value, where) => {
    const { valid, issues } = validateR4(mutated(name, path, value));
    expect(valid).toBe(false);
    expect(issues.some((i) => i.startsWith(`error ${where}: ${JSON.stringify(value)} is not in the required value set`))).toBe(true);
  });
});
