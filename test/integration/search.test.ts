import Client from 'fhir-kit-client';
import { validateResource } from '../../src/fhir/profile-validator';
import { fromFhirXml } from '../../src/fhir/xml';
import { searchParameters } from '../../src/mappings/search-parameters';
import { NHS_SYSTEM, searchByNhsNumber, startTestFacade, type TestFacade } from '../support/facade';

const HCID_EXT = 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-HomeCommunityId';
const SANDBOX_NHS_NUMBERS = ['9000000009', '9000000017', '9000000025', '9000000033', '9000000041', '9000000068'];

let facade: TestFacade;
beforeAll(async () => {
  facade = await startTestFacade();
});
afterAll(async () => {
  await facade.close();
});

function matches(bundle: any): any[] {
  return (bundle.entry ?? []).filter((e: any) => e.search?.mode === 'match').map((e: any) => e.resource);
}
function outcomes(bundle: any): any[] {
  return (bundle.entry ?? []).filter((e: any) => e.search?.mode === 'outcome').map((e: any) => e.resource);
}
function upstreamQueries(): number {
  return facade.service.sandbox!.gateways.reduce((n, g) => n + g.stats().iti38, 0);
}

describe('ITI-67 search against the sandbox gateways', () => {
  it('finds 9000000009 documents in both communities, merged newest first, each a valid MHD DocumentReference', async () => {
    const { status, body, headers } = await searchByNhsNumber(facade, '9000000009');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    expect(body.resourceType).toBe('Bundle');
    expect(body.type).toBe('searchset');
    expect(validateResource(body, 'Bundle')).toEqual({ valid: true, errors: [] });
    const docs = matches(body);
    expect(docs.length).toBeGreaterThanOrEqual(3);
    expect(body.total).toBe(docs.length);
    expect(outcomes(body)).toEqual([]);
    const communities = new Set(docs.map((d) => d.extension.find((x: any) => x.url === HCID_EXT).valueUri));
    expect(communities).toEqual(new Set(['urn:oid:2.999.1.1', 'urn:oid:2.999.1.2']));
    const dates = docs.map((d) => Date.parse(d.date));
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
    for (const doc of docs) {
      expect(validateResource(doc, 'DocumentReference')).toEqual({ valid: true, errors: [] });
      expect(doc.status).toBe('current');
      expect(doc.subject.identifier).toEqual({ system: NHS_SYSTEM, value: '9000000009' });
      expect(doc.id.length).toBeLessThanOrEqual(64);
      expect(doc.content[0].attachment.url).toMatch(new RegExp(`^${facade.fhir}/Binary/[A-Za-z0-9.-]{1,64}$`));
    }
    const fullUrls = body.entry.filter((e: any) => e.search.mode === 'match').map((e: any) => e.fullUrl);
    expect(fullUrls).toEqual(docs.map((d) => `${facade.fhir}/DocumentReference/${d.id}`));
    const kos = docs.find((d) => d.content[0].attachment.contentType === 'application/dicom');
    expect(kos).toBeDefined();
    expect(kos.content[0].format.code).toBe('1.2.840.10008.5.1.4.1.1.88.59');
  });

  it('gives the same ids on a repeated search (stable ids)', async () => {
    const a = matches((await searchByNhsNumber(facade, '9000000009')).body).map((d) => d.id);
    const b = matches((await searchByNhsNumber(facade, '9000000009')).body).map((d) => d.id);
    expect(b).toEqual(a);
  });

  it('finds the deprecated report only with status=superseded', async () => {
    const current = matches((await searchByNhsNumber(facade, '9000000009')).body);
    const superseded = matches((await searchByNhsNumber(facade, '9000000009', '&status=superseded')).body);
    expect(superseded.length).toBeGreaterThanOrEqual(1);
    expect(superseded.every((d) => d.status === 'superseded')).toBe(true);
    const currentIds = new Set(current.map((d) => d.id));
    expect(superseded.some((d) => currentIds.has(d.id))).toBe(false);
    const both = matches((await searchByNhsNumber(facade, '9000000009', '&status=current,superseded')).body);
    expect(both.length).toBe(current.length + superseded.length);
  });

  it('filters through the sandbox: category, format, creation date', async () => {
    const all = matches((await searchByNhsNumber(facade, '9000000009')).body);
    const kosFormat = encodeURIComponent('http://dicom.nema.org/resources/ontology/DCMUID|1.2.840.10008.5.1.4.1.1.88.59');
    const kos = matches((await searchByNhsNumber(facade, '9000000009', `&format=${kosFormat}`)).body);
    expect(kos.length).toBeGreaterThanOrEqual(1);
    expect(kos.length).toBeLessThan(all.length);
    expect(kos.every((d) => d.content[0].attachment.contentType === 'application/dicom')).toBe(true);
    const newest = all[0];
    const day = newest.date.slice(0, 10);
    const sameDayOrLater = matches((await searchByNhsNumber(facade, '9000000009', `&date=ge${day}`)).body);
    expect(sameDayOrLater.map((d) => d.id)).toContain(newest.id);
    expect(sameDayOrLater.every((d) => d.date.slice(0, 10) >= day)).toBe(true);
    const none = matches((await searchByNhsNumber(facade, '9000000009', '&date=lt1990')).body);
    expect(none).toEqual([]);
  });

  it('sends every supported parameter in a form the strict sandbox accepts (no registry error, no fault)', async () => {
    const q = (k: string, v: string) => `&${k}=${encodeURIComponent(v)}`;
    const extra = [
      q('status', 'current,superseded'),
      q('date', 'ge2000-01-01'),
      q('creation', 'lt2100'),
      q('period', 'ge2000'),
      q('category', 'http://snomed.info/sct|721981007,http://snomed.info/sct|4201000179104'),
      q('type', 'http://loinc.org|18748-4,urn:oid:2.16.840.1.113883.6.96|4201000179104'),
      q('setting', 'http://snomed.info/sct|394914008'),
      q('facility', 'http://snomed.info/sct|22232009'),
      q('event', 'http://dicom.nema.org/resources/ontology/DCM|CT'),
      q('security-label', 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality|N'),
      q('format', 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode|urn:ihe:iti:xds:2017:mimeTypeSufficient'),
      q('author.family', 'Okafor'),
      q('author.given', 'Ada'),
    ].join('');
    const faultsBefore = facade.service.sandbox!.gateways.map((g) => g.stats().soapFaults + g.stats().registryErrors);
    const { status, body } = await searchByNhsNumber(facade, '9000000009', extra);
    expect(status).toBe(200);
    expect(outcomes(body)).toEqual([]);
    expect(facade.service.sandbox!.gateways.map((g) => g.stats().soapFaults + g.stats().registryErrors)).toEqual(faultsBefore);
  });

  it('finds by author through the sandbox', async () => {
    const byAuthor = matches((await searchByNhsNumber(facade, '9000000009', '&author.family=Okafor')).body);
    expect(byAuthor.length).toBeGreaterThanOrEqual(1);
    expect(byAuthor.every((d) => d.contained.some((c: any) => c.resourceType === 'Practitioner' && c.name[0].family === 'Okafor'))).toBe(true);
    expect(matches((await searchByNhsNumber(facade, '9000000009', '&author.family=Nobody')).body)).toEqual([]);
  });

  it('finds the study by accession (related) through FindDocumentsByReferenceId', async () => {
    const all = matches((await searchByNhsNumber(facade, '9000000009')).body);
    const kos = all.find((d) => d.content[0].attachment.contentType === 'application/dicom');
    const accession = kos.context.related.find((r: any) => r.identifier?.type?.coding?.some((c: any) => c.code === 'ACSN'))?.identifier;
    expect(accession).toBeDefined();
    const related = matches((await searchByNhsNumber(facade, '9000000009', `&related=${encodeURIComponent(`${accession.system}|${accession.value}`)}`)).body);
    expect(related.map((d) => d.id)).toContain(kos.id);
    expect(related.length).toBeLessThan(all.length);
  });

  it('answers an empty searchset for a known patient with no documents (9000000017)', async () => {
    const { status, body } = await searchByNhsNumber(facade, '9000000017');
    expect(status).toBe(200);
    expect(body.total).toBe(0);
    expect(body.entry ?? []).toEqual([]);
  });

  it('treats XDSUnknownPatientId as "no documents here" (9000000068)', async () => {
    const { status, body } = await searchByNhsNumber(facade, '9000000068');
    expect(status).toBe(200);
    expect(body.total).toBe(0);
    expect(outcomes(body)).toEqual([]);
  });

  it("returns A's documents and a warning naming B when B answers XDSRegistryError (9000000025)", async () => {
    const { status, body } = await searchByNhsNumber(facade, '9000000025');
    expect(status).toBe(200);
    expect(matches(body).length).toBeGreaterThan(0);
    const [outcome] = outcomes(body);
    expect(validateResource(outcome, 'OperationOutcome').valid).toBe(true);
    expect(outcome.issue).toHaveLength(1);
    expect(outcome.issue[0].severity).toBe('warning');
    expect(outcome.issue[0].diagnostics).toContain('Sandbox Community B');
    expect(outcome.issue[0].diagnostics).toContain('XDSRegistryError');
    expect(outcome.issue[0].diagnostics).not.toMatch(/\n\s+at /);
  });

  it("returns A's documents and a timeout warning naming B when B is slower than its timeout (9000000033)", async () => {
    const started = Date.now();
    const { status, body } = await searchByNhsNumber(facade, '9000000033');
    expect(status).toBe(200);
    expect(Date.now() - started).toBeLessThan(4500);
    expect(matches(body).length).toBeGreaterThan(0);
    const [outcome] = outcomes(body);
    expect(outcome.issue[0].code).toBe('timeout');
    expect(outcome.issue[0].diagnostics).toContain('Sandbox Community B');
  });

  it('counts all 300 documents of 9000000041 and serves the first page of 50 with a next link', async () => {
    const { body } = await searchByNhsNumber(facade, '9000000041');
    expect(body.total).toBe(300);
    expect(new Set(matches(body).map((d) => d.id)).size).toBe(50);
    expect(body.link.map((l: any) => l.relation)).toEqual(['self', 'first', 'next']);
  });

  it('answers POST _search with a form body exactly as GET', async () => {
    const get = (await searchByNhsNumber(facade, '9000000009')).body;
    const res = await fetch(`${facade.fhir}/DocumentReference/_search`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/fhir+json' },
      body: new URLSearchParams({ 'subject:identifier': `${NHS_SYSTEM}|9000000009` }).toString(),
    });
    expect(res.status).toBe(200);
    const post = (await res.json()) as any;
    expect(matches(post)).toEqual(matches(get));
  });

  it('is searchable with fhir-kit-client as a consumer would', async () => {
    const client = new Client({ baseUrl: facade.fhir });
    const bundle = (await client.search({ resourceType: 'DocumentReference', searchParams: { 'patient:identifier': `${NHS_SYSTEM}|9000000009` } })) as any;
    expect(bundle.resourceType).toBe('Bundle');
    expect(matches(bundle).length).toBeGreaterThanOrEqual(3);
  });
});

describe('refusals, before anything leaves the service', () => {
  it.each([
    ['an invalid NHS number', `patient.identifier=${encodeURIComponent(`${NHS_SYSTEM}|9000000008`)}`, 'INVALID_NHS_NUMBER', 'patient.identifier'],
    ['all zeros', `patient:identifier=${encodeURIComponent(`${NHS_SYSTEM}|0000000000`)}`, 'INVALID_NHS_NUMBER', 'patient:identifier'],
    ['a wrong identifier system', `patient.identifier=${encodeURIComponent('urn:oid:1.2.3|9000000009')}`, 'INVALID_PARAMETER', 'patient.identifier'],
    ['no patient', 'status=current', 'INVALID_PARAMETER', undefined],
    ['an unknown parameter', `patient.identifier=${encodeURIComponent(`${NHS_SYSTEM}|9000000009`)}&colour=blue`, 'INVALID_PARAMETER', 'colour'],
  ])('answers 400 for %s with no upstream query', async (_why, query, spineCode, expression) => {
    const before = upstreamQueries();
    const res = await fetch(`${facade.fhir}/DocumentReference?${query}`);
    expect(res.status).toBe(400);
    const outcome = (await res.json()) as any;
    expect(validateResource(outcome, 'OperationOutcome')).toEqual({ valid: true, errors: [] });
    expect(outcome.issue[0].code).toBe('invalid');
    expect(outcome.issue[0].details.coding[0]).toMatchObject({
      system: 'https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode',
      version: '1',
      code: spineCode,
    });
    if (expression) expect(outcome.issue[0].expression).toEqual([expression]);
    expect(upstreamQueries()).toBe(before);
  });

  it('ignores an unknown parameter with Prefer: handling=lenient', async () => {
    const { status, body } = await searchByNhsNumber(facade, '9000000017', '&colour=blue', { Prefer: 'handling=lenient' });
    expect(status).toBe(200);
    expect(body.link[0].url).not.toContain('colour');
  });

  it.each([
    [{ Accept: 'text/csv' }, ''],
    [{}, '&_format=csv'],
  ])('answers 406 for formats other than FHIR JSON and XML (%o %s)', async (headers, extra) => {
    const { status, body } = await searchByNhsNumber(facade, '9000000009', extra, headers);
    expect(status).toBe(406);
    expect(body.resourceType).toBe('OperationOutcome');
  });

  it.each([
    [{ Accept: 'application/fhir+xml' }, ''],
    [{ Accept: 'application/fhir+json' }, '&_format=xml'],
  ])('answers FHIR XML for %o %s, the same Bundle as JSON', async (headers, extra) => {
    const url = `${facade.fhir}/DocumentReference?patient.identifier=${encodeURIComponent(`${NHS_SYSTEM}|9000000009`)}${extra}`;
    const res = await fetch(url, { headers });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/fhir\+xml/);
    const xml = await res.text();
    expect(xml).toMatch(/^<\?xml[^>]*\?>\s*<Bundle xmlns="http:\/\/hl7.org\/fhir">/);
    const parsed = fromFhirXml(xml) as any;
    const json = (await searchByNhsNumber(facade, '9000000009')).body;
    expect(parsed.entry.map((e: any) => e.resource)).toEqual(json.entry.map((e: any) => e.resource));
    const invalid = await fetch(`${facade.fhir}/DocumentReference?patient.identifier=${encodeURIComponent(`${NHS_SYSTEM}|9000000008`)}`, { headers: { Accept: 'application/fhir+xml' } });
    expect(invalid.status).toBe(400);
    expect((fromFhirXml(await invalid.text()) as any).resourceType).toBe('OperationOutcome');
  });

  it('answers 415 for a POST _search that is not form-encoded', async () => {
    const res = await fetch(`${facade.fhir}/DocumentReference/_search`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(415);
  });

  it('answers 404 OperationOutcome for unsupported resource types', async () => {
    const res = await fetch(`${facade.fhir}/Patient?identifier=x`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).resourceType).toBe('OperationOutcome');
  });
});

describe('service endpoints and headers', () => {
  it('echoes X-Request-ID and X-Correlation-ID, and generates them when absent', async () => {
    const given = await fetch(`${facade.fhir}/metadata`, { headers: { 'X-Request-ID': 'req-123', 'X-Correlation-ID': 'corr-456' } });
    expect(given.headers.get('x-request-id')).toBe('req-123');
    expect(given.headers.get('x-correlation-id')).toBe('corr-456');
    const generated = await fetch(`${facade.fhir}/metadata`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const error = await fetch(`${facade.fhir}/DocumentReference?status=current`, { headers: { 'X-Request-ID': 'req-err' } });
    expect(error.headers.get('x-request-id')).toBe('req-err');
  });

  it('publishes a CapabilityStatement that instantiates the MHD Document Responder and lists the table parameters', async () => {
    const res = await fetch(`${facade.fhir}/metadata`);
    const cs = (await res.json()) as any;
    expect(cs.resourceType).toBe('CapabilityStatement');
    expect(cs.instantiates).toContain('https://profiles.ihe.net/ITI/MHD/CapabilityStatement/IHE.MHD.DocumentResponder');
    const docRef = cs.rest[0].resource.find((r: any) => r.type === 'DocumentReference');
    const listed = new Set(docRef.searchParam.map((p: any) => p.name));
    const table = searchParameters();
    const expected = new Set([...table.patient.parameters, ...table.parameters.flatMap((p) => [p.name, ...(p.aliases ?? [])])]);
    expect(listed).toEqual(expected);
  });

  it('answers /_ping and /_status with each community', async () => {
    expect((await fetch(`${facade.url}/_ping`)).status).toBe(200);
    const status = (await (await fetch(`${facade.url}/_status`)).json()) as any;
    expect(status.config).toBe('loaded');
    expect(status.communities.map((c: any) => c.name)).toEqual(['Sandbox Community A', 'Sandbox Community B']);
  });

  it('never wrote an NHS number to the logs', () => {
    expect(facade.logs.length).toBeGreaterThan(10);
    for (const n of SANDBOX_NHS_NUMBERS) expect(facade.logs.filter((l) => l.includes(n))).toEqual([]);
  });
});
