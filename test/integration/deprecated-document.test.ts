import { createHash } from 'node:crypto';
import { SPINE_ERROR_SYSTEM } from '../../src/errors/catalogue';
import { validateResource } from '../../src/fhir/profile-validator';
import { NHS_SYSTEM, searchByNhsNumber, startTestFacade, type TestFacade } from '../support/facade';

/**
 * Sandbox patient 9000000092: a current final report and the Deprecated preliminary report it replaced, whose bytes
 * Community A's repository no longer holds. Both uniqueIds are CDA-style (root^extension), so their Binary URLs
 * carry the entry id and a retrieve looks the entry up (ITI-38 GetDocuments) before ITI-39: that is how the facade
 * knows the entry is Deprecated and answers 410 instead of 404 (src/interactions/read-binary.ts).
 */
const PATIENT = '9000000092';

let facade: TestFacade;
beforeAll(async () => {
  facade = await startTestFacade();
});
afterAll(async () => {
  await facade.close();
});

async function found(extra = ''): Promise<{ documents: any[]; outcomes: any[] }> {
  const { status, body } = await searchByNhsNumber(facade, PATIENT, extra);
  expect(status).toBe(200);
  const entries = body.entry ?? [];
  return {
    documents: entries.filter((e: any) => e.search.mode === 'match').map((e: any) => e.resource),
    outcomes: entries.filter((e: any) => e.search.mode === 'outcome').map((e: any) => e.resource),
  };
}

const titles = (docs: any[]): string[] => docs.map((d) => d.content[0].attachment.title).sort();
const sha1Base64 = (b: Buffer) => createHash('sha1').update(b).digest('base64');

describe('a Deprecated DocumentEntry through the facade (sandbox 9000000092)', () => {
  it('ITI-67 searches current documents unless told otherwise: status=superseded finds the Deprecated entry, as superseded', async () => {
    const byDefault = await found();
    expect(titles(byDefault.documents)).toEqual(['MR lumbar spine report']);
    expect(byDefault.documents.map((d) => d.status)).toEqual(['current']);
    // Community B does not know the patient (XDSUnknownPatientId): no documents there, and no warning either.
    expect(byDefault.outcomes).toEqual([]);
    expect(titles((await found('&status=current')).documents)).toEqual(['MR lumbar spine report']);

    const superseded = await found('&status=superseded');
    expect(titles(superseded.documents)).toEqual(['MR lumbar spine report (preliminary)']);
    expect(superseded.documents.map((d) => d.status)).toEqual(['superseded']);

    const both = await found('&status=current,superseded');
    expect(titles(both.documents)).toEqual(['MR lumbar spine report', 'MR lumbar spine report (preliminary)']);
    expect(both.documents.map((d) => d.id).sort()).toEqual([...byDefault.documents, ...superseded.documents].map((d) => d.id).sort());
  });

  it('reads the Deprecated entry as a DocumentReference (status superseded): a read does not filter by status', async () => {
    const [preliminary] = (await found('&status=superseded')).documents;
    const res = await fetch(`${facade.fhir}/DocumentReference/${preliminary.id}`, { headers: { 'Cache-Control': 'no-cache' } });
    expect(res.status).toBe(200);
    const read = (await res.json()) as any;
    expect(read).toEqual(preliminary);
    expect(read.status).toBe('superseded');
    // uniqueId 2.999.1.1.1.92^1: root and extension, as ITI TF-2 Appendix Z.9.1 writes an II.
    expect(read.masterIdentifier).toEqual({ use: 'usual', system: 'urn:oid:2.999.1.1.1.92', value: '1' });
    expect(read.subject.identifier).toEqual({ system: NHS_SYSTEM, value: PATIENT });
    expect(validateResource(read, 'DocumentReference')).toEqual({ valid: true, errors: [] });
  });

  it('answers the Binary of the Deprecated entry whose document is gone with 410 Gone and a RECORD_DEPRECATED OperationOutcome', async () => {
    const [preliminary] = (await found('&status=superseded')).documents;
    const url: string = preliminary.content[0].attachment.url;
    expect(url).toBe(`${facade.fhir}/Binary/${preliminary.id}`);
    const [a, b] = facade.service.sandbox!.gateways;
    const before = { getDocuments: a.stats().byStoredQuery.GetDocuments ?? 0, iti39: a.stats().iti39, retrieveErrors: a.stats().retrieveErrors, bIti39: b.stats().iti39 };

    for (const accept of ['*/*', 'application/fhir+json']) {
      const res = await fetch(url, { headers: { Accept: accept } });
      expect(res.status).toBe(410);
      expect(res.headers.get('content-type')).toContain('application/fhir+json');
      const outcome = (await res.json()) as any;
      expect(validateResource(outcome, 'OperationOutcome')).toEqual({ valid: true, errors: [] });
      expect(outcome.issue).toHaveLength(1);
      expect(outcome.issue[0]).toMatchObject({
        severity: 'error',
        code: 'deleted',
        details: { coding: [{ system: SPINE_ERROR_SYSTEM, code: 'NO_RECORD_FOUND', display: 'Record deprecated' }] },
      });
      expect(outcome.issue[0].diagnostics).toContain('XDSDocumentUniqueIdError');
      expect(outcome.issue[0].diagnostics).toContain('the document is deprecated');
    }
    // Each retrieve looked the entry up in A (GetDocuments), then asked A's repository, which no longer has it.
    expect(a.stats().byStoredQuery.GetDocuments).toBe(before.getDocuments + 2);
    expect(a.stats().iti39).toBe(before.iti39 + 2);
    expect(a.stats().retrieveErrors).toBe(before.retrieveErrors + 2);
    expect(b.stats().iti39).toBe(before.bIti39);
  });

  it('retrieves the current report of the same patient, looked up the same way, with the bytes its metadata describes', async () => {
    const [final] = (await found()).documents;
    const attachment = final.content[0].attachment;
    expect(attachment.url).toBe(`${facade.fhir}/Binary/${final.id}`);
    const res = await fetch(attachment.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/pdf');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.length).toBe(attachment.size);
    expect(sha1Base64(bytes)).toBe(attachment.hash);
  });
});
