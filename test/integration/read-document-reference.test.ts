import Client from 'fhir-kit-client';
import { validateResource } from '../../src/fhir/profile-validator';
import { searchByNhsNumber, startTestFacade, type TestFacade } from '../support/facade';

let facade: TestFacade;
beforeAll(async () => {
  facade = await startTestFacade();
});
afterAll(async () => {
  await facade.close();
});

async function found(nhsNumber: string, extra = ''): Promise<any[]> {
  const { body } = await searchByNhsNumber(facade, nhsNumber, extra);
  return body.entry.filter((e: any) => e.search.mode === 'match').map((e: any) => e.resource);
}

describe('GET /fhir/DocumentReference/{id} (ITI-38 GetDocuments to the community the id names)', () => {
  it('reads every document a search found, identical to the search result', async () => {
    const docs = [...(await found('9000000009')), ...(await found('9000000009', '&status=superseded'))];
    expect(docs.length).toBeGreaterThanOrEqual(4);
    for (const doc of docs) {
      const res = await fetch(`${facade.fhir}/DocumentReference/${doc.id}`, { headers: { 'Cache-Control': 'no-cache' } });
      expect(res.status).toBe(200);
      const read = (await res.json()) as any;
      expect(read).toEqual(doc);
      expect(validateResource(read, 'DocumentReference')).toEqual({ valid: true, errors: [] });
    }
  });

  it('answers from the cache after a search, and with Cache-Control: no-cache sends one GetDocuments to that community only', async () => {
    const [doc] = await found('9000000009');
    const [a, b] = facade.service.sandbox!.gateways;
    const upstream = () => a.stats().iti38 + b.stats().iti38;
    const before = upstream();
    const cached = await fetch(`${facade.fhir}/DocumentReference/${doc.id}`);
    expect(((await cached.json()) as any).id).toBe(doc.id);
    expect(upstream()).toBe(before);
    const fresh = await fetch(`${facade.fhir}/DocumentReference/${doc.id}`, { headers: { 'Cache-Control': 'no-cache' } });
    expect(((await fresh.json()) as any).id).toBe(doc.id);
    expect(upstream()).toBe(before + 1);
    expect(a.stats().byStoredQuery).toBeDefined();
  });

  it('is readable with fhir-kit-client', async () => {
    const [doc] = await found('9000000009');
    const client = new Client({ baseUrl: facade.fhir });
    const read = (await client.read({ resourceType: 'DocumentReference', id: doc.id })) as any;
    expect(read.id).toBe(doc.id);
    expect(read.masterIdentifier).toEqual(doc.masterIdentifier);
  });

  it('answers 404 with an OperationOutcome for an unknown id', async () => {
    const [doc] = await found('9000000009');
    const unknown = doc.id.replace(/-.*/, '-0123456789abcdef0123456789abcdef');
    const res = await fetch(`${facade.fhir}/DocumentReference/${unknown}`);
    expect(res.status).toBe(404);
    const outcome = (await res.json()) as any;
    expect(outcome.issue[0].details.coding[0].code).toBe('NO_RECORD_FOUND');
    const otherCommunity = await fetch(`${facade.fhir}/DocumentReference/deadbeef-0123456789abcdef0123456789abcdef`);
    expect(otherCommunity.status).toBe(404);
  });

  it.each(['not_an_id', 'x'.repeat(65), 'abc', 'deadbeef-zz'])('answers 400 for the malformed id %s', async (id) => {
    const res = await fetch(`${facade.fhir}/DocumentReference/${id}`);
    expect(res.status).toBe(400);
    const outcome = (await res.json()) as any;
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue[0].code).toBe('invalid');
  });
});
