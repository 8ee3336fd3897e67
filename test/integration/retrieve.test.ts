import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { binaryId, communityKey } from '../../src/fhir/ids';
import { validateResource } from '../../src/fhir/profile-validator';
import { fromFhirXml } from '../../src/fhir/xml';
import { searchByNhsNumber, startTestFacade, type TestFacade } from '../support/facade';
import { startMisbehavingGateway, type Behaviour } from '../support/misbehaving-gateway';

let facade: TestFacade;
beforeAll(async () => {
  facade = await startTestFacade();
});
afterAll(async () => {
  await facade.close();
});

async function documents(nhsNumber: string, extra = ''): Promise<any[]> {
  const { body } = await searchByNhsNumber(facade, nhsNumber, extra);
  return (body.entry ?? []).filter((e: any) => e.search.mode === 'match').map((e: any) => e.resource);
}

const sha1Base64 = (b: Buffer) => createHash('sha1').update(b).digest('base64');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The seed file behind a sandbox document (by uniqueId), as the sandbox gateways serve it. */
function seedBytes(uniqueId: string): Buffer {
  const seedDir = path.join(__dirname, '../../src/sandbox/seed');
  for (const community of ['community-a.json', 'community-b.json']) {
    const seed = JSON.parse(fs.readFileSync(path.join(seedDir, community), 'utf8')) as { patients: Array<{ documents?: Array<{ uniqueId: string; content?: string }> }> };
    for (const doc of seed.patients.flatMap((p) => p.documents ?? [])) {
      if (doc.uniqueId !== uniqueId || doc.content === undefined) continue;
      for (const dir of ['content', 'dicom']) {
        const file = path.join(seedDir, dir, doc.content);
        if (fs.existsSync(file)) return fs.readFileSync(file);
      }
    }
  }
  throw new Error(`no seed file for ${uniqueId}`);
}

describe('GET /fhir/Binary/{id}: ITI-68 through ITI-39', () => {
  it('retrieves every document of 9000000009 (current and superseded) with the bytes the metadata describes', async () => {
    const docs = [...(await documents('9000000009')), ...(await documents('9000000009', '&status=superseded'))];
    expect(docs.length).toBeGreaterThanOrEqual(4);
    for (const doc of docs) {
      const attachment = doc.content[0].attachment;
      const res = await fetch(attachment.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain(attachment.contentType);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.length).toBe(attachment.size);
      expect(sha1Base64(bytes)).toBe(attachment.hash);
      expect(sha256(bytes)).toBe(sha256(seedBytes(doc.masterIdentifier.value.replace(/^urn:oid:/, ''))));
    }
  });

  it('negotiates: */* and the document type give bytes, application/fhir+json a Binary resource, anything else 406', async () => {
    const [pdf] = (await documents('9000000009')).filter((d) => d.content[0].attachment.contentType === 'application/pdf');
    const url = pdf.content[0].attachment.url;
    for (const accept of ['*/*', 'application/pdf', 'application/pdf, application/fhir+json;q=0.5']) {
      const res = await fetch(url, { headers: { Accept: accept } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/pdf');
      expect((await res.arrayBuffer()).byteLength).toBe(pdf.content[0].attachment.size);
    }
    const asResource = await fetch(url, { headers: { Accept: 'application/fhir+json' } });
    expect(asResource.status).toBe(200);
    expect(asResource.headers.get('content-type')).toContain('application/fhir+json');
    const binary = (await asResource.json()) as any;
    expect(binary).toMatchObject({ resourceType: 'Binary', contentType: 'application/pdf' });
    expect(sha1Base64(Buffer.from(binary.data, 'base64'))).toBe(pdf.content[0].attachment.hash);
    const asXml = await fetch(url, { headers: { Accept: 'application/fhir+xml' } });
    expect(asXml.status).toBe(200);
    expect(asXml.headers.get('content-type')).toContain('application/fhir+xml');
    expect(fromFhirXml(await asXml.text())).toMatchObject({ resourceType: 'Binary', contentType: 'application/pdf', data: binary.data });
    for (const accept of ['text/csv', 'image/png']) {
      const refused = await fetch(url, { headers: { Accept: accept } });
      expect(refused.status).toBe(406);
      expect(((await refused.json()) as any).resourceType).toBe('OperationOutcome');
    }
  });

  it('answers 404 NO_RECORD_FOUND when the responder says XDSDocumentUniqueIdError (9000000084)', async () => {
    const [doc] = await documents('9000000084');
    const res = await fetch(doc.content[0].attachment.url);
    expect(res.status).toBe(404);
    const outcome = (await res.json()) as any;
    expect(validateResource(outcome, 'OperationOutcome').valid).toBe(true);
    expect(outcome.issue[0].details.coding[0].code).toBe('NO_RECORD_FOUND');
    expect(outcome.issue[0].diagnostics).toContain('XDSDocumentUniqueIdError');
  });

  it('answers 400 for a malformed Binary id and 404 for one naming no configured community', async () => {
    expect((await fetch(`${facade.fhir}/Binary/not_an_id`)).status).toBe(400);
    const foreign = binaryId({ communityKey: communityKey('urn:oid:2.999.404'), repositoryUniqueId: '2.999.404.1', documentUniqueId: '2.999.404.1.1' });
    expect((await fetch(`${facade.fhir}/Binary/${foreign}`)).status).toBe(404);
  });

  it('streams the large document of 9000000076 through intact', async () => {
    const [doc] = await documents('9000000076');
    const attachment = doc.content[0].attachment;
    expect(attachment.size).toBeGreaterThanOrEqual(200 * 1024 * 1024);
    const res = await fetch(attachment.url);
    expect(res.status).toBe(200);
    const hash = createHash('sha1');
    let total = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      total += chunk.length;
    }
    expect(total).toBe(attachment.size);
    expect(hash.digest('base64')).toBe(attachment.hash);
  }, 60_000);
});

describe('retrieve failures', () => {
  let bad: Awaited<ReturnType<typeof startMisbehavingGateway>>;
  let broken: TestFacade;
  const hcid = 'urn:oid:2.999.66.1';
  const id = binaryId({ communityKey: communityKey(hcid), repositoryUniqueId: '2.999.66.1.1', documentUniqueId: '2.999.66.1.1.1' })!;

  async function facadeFor(behaviour: Behaviour, env: Record<string, string> = {}): Promise<TestFacade> {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'facade-retrieve-')), 'communities.json');
    fs.writeFileSync(file, JSON.stringify({ communities: [{ homeCommunityId: hcid, name: `Bad ${behaviour}`, iti38Url: bad.url(behaviour), iti39Url: bad.url(behaviour), timeoutMs: 500 }] }));
    return startTestFacade({ COMMUNITIES_FILE: file, ALLOW_INSECURE_UPSTREAM: 'true', ...env });
  }

  beforeAll(async () => {
    bad = await startMisbehavingGateway();
  });
  afterAll(async () => {
    await bad.close();
  });
  afterEach(async () => {
    await broken?.close();
  });

  it.each([
    ['http500', 502, 'UNABLE_TO_CALL_SERVICE'],
    ['soap-fault', 502, 'UNABLE_TO_CALL_SERVICE'],
    ['garbage', 502, 'UNABLE_TO_CALL_SERVICE'],
    ['slow', 504, 'UNABLE_TO_CALL_SERVICE'],
  ] as Array<[Behaviour, number, string]>)('%s upstream -> %d with an OperationOutcome', async (behaviour, status, spine) => {
    broken = await facadeFor(behaviour);
    const res = await fetch(`${broken.fhir}/Binary/${id}`, { headers: broken.headers });
    expect(res.status).toBe(status);
    const outcome = (await res.json()) as any;
    expect(outcome.issue[0].details.coding[0].code).toBe(spine);
    expect(outcome.issue[0].diagnostics).toContain(`Bad ${behaviour}`);
  });

  it('aborts the client connection when the upstream breaks after bytes were sent', async () => {
    broken = await facadeFor('mtom-cut');
    const res = await fetch(`${broken.fhir}/Binary/${id}`, { headers: broken.headers });
    expect(res.status).toBe(200);
    await expect(res.arrayBuffer()).rejects.toThrow();
    expect((await fetch(`${broken.url}/_ping`)).status).toBe(200);
  });
});

describe('Binary resource size limit', () => {
  it('refuses (422) a Binary resource above MAX_BINARY_RESOURCE_BYTES, but still streams the bytes', async () => {
    const small = await startTestFacade({ MAX_BINARY_RESOURCE_BYTES: '100' });
    try {
      const { body } = await searchByNhsNumber(small, '9000000009');
      const url = body.entry[0].resource.content[0].attachment.url;
      const refused = await fetch(url, { headers: { Accept: 'application/fhir+json' } });
      expect(refused.status).toBe(422);
      expect(((await refused.json()) as any).issue[0].code).toBe('too-costly');
      expect((await fetch(url)).status).toBe(200);
    } finally {
      await small.close();
    }
  });
});
