import { fromFhirXml } from '../../src/fhir/xml';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { binaryId, communityKey } from '../../src/fhir/ids';
import { validateResource } from '../../src/fhir/profile-validator';
import { loadSandboxSeed, startSandboxGateway, type SandboxGateway } from '../../src/sandbox';
import { NHS_SYSTEM, searchByNhsNumber, startTestFacade, type TestFacade } from '../support/facade';
import { dcmtk, makeTmp, modifiedKos, removeTmp, seedBytes, seedImages, seedKosBytes } from '../unit/imaging/dicom-fixtures';
import { startKosGateway, type KosGateway, type StoredDocument } from './imaging/kos-gateway';
import { boundaryOf, parseMultipart, type BodyPart } from './imaging/multipart';

/** ImagingStudy read/search and the DICOMweb door, end to end against the sandbox (Community B, 9000000009). */

const STUDY = '2.999.1.2.5.1';
const images = seedImages();
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

let facade: TestFacade;
let tmp: string;
let id: string;
const gatewayB = () => facade.service.sandbox!.gateways[1];

beforeAll(async () => {
  facade = await startTestFacade();
  running.push(facade);
  tmp = makeTmp('imaging-it');
  const { body } = await searchByNhsNumber(facade, '9000000009');
  const kos = body.entry.map((e: any) => e.resource).find((r: any) => r.content?.[0]?.attachment?.contentType === 'application/dicom');
  const url: string = kos.content[0].attachment.url;
  id = url.slice(url.lastIndexOf('/') + 1);
});
afterAll(async () => {
  await facade.close();
  removeTmp(tmp);
});

/** The facades of this file: a request carries the headers (bearer token) of the one it is sent to. */
const running: TestFacade[] = [];
const withAuth = (url: string, headers: Record<string, string>): Record<string, string> => ({
  ...running.find((f) => url.startsWith(`${f.url}/`))?.headers,
  ...headers,
});

async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, { headers: withAuth(url, headers) });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

/** GET a WADO-RS retrieve and parse its multipart answer. */
async function retrieve(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; parts: BodyPart[] }> {
  const res = await fetch(url, { headers: withAuth(url, headers) });
  const bytes = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, headers: res.headers, parts: type.startsWith('multipart/') ? parseMultipart(bytes, boundaryOf(type)) : [] };
}

/** SOP Instance UID (0008,0018) of a received instance as dcmdump reads it. */
function dcmdumpSopInstanceUid(bytes: Buffer, name: string): string {
  const file = path.join(tmp, `${name}.dcm`);
  fs.writeFileSync(file, bytes);
  const line = dcmtk('dcmdump', ['+P', '0008,0018', file]);
  return /\[([^\]]*)\]/.exec(line)?.[1] ?? '';
}

function expectSeedInstances(parts: readonly BodyPart[], expected: typeof images): void {
  expect(parts).toHaveLength(expected.length);
  const byHash = new Map(expected.map((e) => [e.sha256, e]));
  for (const [i, part] of parts.entries()) {
    expect(part.headers['content-type']).toBe('application/dicom');
    const entry = byHash.get(sha256(part.body));
    expect(entry).toBeDefined();
    expect(dcmdumpSopInstanceUid(part.body, `part-${i}`)).toBe(entry!.sopInstanceUid);
    byHash.delete(entry!.sha256);
  }
}

describe('GET /fhir/ImagingStudy/{id}', () => {
  it('reads the KOS through ITI-39 into a profile-valid ImagingStudy of the seed study, then serves it from the cache', async () => {
    const before = gatewayB().stats().iti39;
    const { status, body } = await getJson(`${facade.fhir}/ImagingStudy/${id}`, { Accept: 'application/fhir+json' });
    expect(status).toBe(200);
    expect(gatewayB().stats().iti39).toBe(before + 1);
    expect(validateResource(body, 'ImagingStudy')).toMatchObject({ valid: true });
    expect(body.id).toBe(id);
    expect(body.subject.identifier).toEqual({ system: NHS_SYSTEM, value: '9000000009' });
    expect(body.identifier[0]).toEqual({ system: 'urn:dicom:uid', value: `urn:oid:${STUDY}` });
    const series = Object.fromEntries(body.series.map((s: any) => [s.uid, s.instance.map((i: any) => i.uid).sort()]));
    const seeded: Record<string, string[]> = {};
    for (const e of images) (seeded[e.seriesUid] ??= []).push(e.sopInstanceUid);
    expect(series).toEqual(Object.fromEntries(Object.entries(seeded).map(([k, v]) => [k, v.sort()])));
    expect(body.numberOfInstances).toBe(images.length);
    expect(body.contained[0]).toMatchObject({ resourceType: 'Endpoint', address: `${facade.url}/dicomweb/${id}`, connectionType: { code: 'dicom-wado-rs' } });

    const again = await getJson(`${facade.fhir}/ImagingStudy/${id}`);
    expect(again.body).toEqual(body);
    expect(gatewayB().stats().iti39).toBe(before + 1);
  });

  it('answers 400 for an id this service never issued and 404 for one naming no configured community', async () => {
    expect((await getJson(`${facade.fhir}/ImagingStudy/not_an_id`)).status).toBe(400);
    const foreign = `${'0'.repeat(8)}${id.slice(8)}`;
    const res = await getJson(`${facade.fhir}/ImagingStudy/${foreign}`);
    expect(res.status).toBe(404);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });
});

describe('GET /fhir/ImagingStudy?patient.identifier=…', () => {
  const search = (extra = '', headers: Record<string, string> = {}) =>
    getJson(`${facade.fhir}/ImagingStudy?patient.identifier=${encodeURIComponent(`${NHS_SYSTEM}|9000000009`)}${extra}`, headers);
  const matches = (bundle: any): any[] => (bundle.entry ?? []).filter((e: any) => e.search.mode === 'match').map((e: any) => e.resource);

  it('answers a searchset of the patient\'s ImagingStudy resources, each profile-valid', async () => {
    const { status, body } = await search();
    expect(status).toBe(200);
    expect(body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    const [study] = matches(body);
    expect(study.id).toBe(id);
    expect(validateResource(study, 'ImagingStudy')).toMatchObject({ valid: true });
    expect(body.entry[0].fullUrl).toBe(`${facade.fhir}/ImagingStudy/${id}`);
    expect(body.link[0].url).toContain('/ImagingStudy?patient.identifier=');
  });

  it('passes modality, study-instance-uid and accession-number through to ITI-38', async () => {
    expect(matches((await search('&modality=CT')).body)).toHaveLength(1);
    expect(matches((await search('&modality=MR')).body)).toHaveLength(0);
    expect(matches((await search(`&study-instance-uid=urn:oid:${STUDY}`)).body)).toHaveLength(1);
    expect(matches((await search('&study-instance-uid=2.999.404')).body)).toHaveLength(0);
    expect(matches((await search(`&accession-number=${encodeURIComponent('urn:oid:2.999.1.2.4|ACC1001')}`)).body)).toHaveLength(1);
  });

  it('refuses parameters ImagingStudy does not support (400), unless handling=lenient; requires the patient', async () => {
    expect((await search('&category=x')).status).toBe(400);
    expect((await search('&category=x', { Prefer: 'handling=lenient' })).status).toBe(200);
    expect((await getJson(`${facade.fhir}/ImagingStudy?modality=CT`)).status).toBe(400);
    expect((await search('', { Accept: 'text/csv' })).status).toBe(406);
  });

  it('answers FHIR XML too', async () => {
    const res = await fetch(`${facade.fhir}/ImagingStudy?patient.identifier=${encodeURIComponent('https://fhir.nhs.uk/Id/nhs-number|9000000009')}`, {
      headers: withAuth(facade.fhir, { Accept: 'application/fhir+xml' }),
    });
    expect(res.status).toBe(200);
    const bundle = fromFhirXml(await res.text()) as any;
    expect(bundle.entry[0].resource.resourceType).toBe('ImagingStudy');
  });

  it('is listed in the CapabilityStatement with read, search-type and its parameters', async () => {
    const { body } = await getJson(`${facade.fhir}/metadata`);
    const resource = body.rest[0].resource.find((r: any) => r.type === 'ImagingStudy');
    expect(resource.interaction.map((i: any) => i.code).sort()).toEqual(['read', 'search-type']);
    expect(resource.searchParam.map((p: any) => p.name)).toEqual(expect.arrayContaining(['patient.identifier', 'study-instance-uid', 'accession-number', 'modality']));
  });
});

describe('DICOMweb /dicomweb/{manifestId}', () => {
  const base = () => `${facade.url}/dicomweb/${id}/studies/${STUDY}`;

  it('retrieves the whole study in one RAD-75: one multipart part per instance, byte for byte the seed files', async () => {
    const before = gatewayB().stats().rad75;
    const { status, headers, parts } = await retrieve(base());
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^multipart\/related; type="application\/dicom"; boundary=/);
    expect(headers.get('warning')).toBeNull();
    expect(gatewayB().stats().rad75).toBe(before + 1);
    expectSeedInstances(parts, images);
  });

  it('retrieves one series and one instance', async () => {
    const [first] = images;
    const series = images.filter((e) => e.seriesUid === first!.seriesUid);
    const bySeries = await retrieve(`${base()}/series/${first!.seriesUid}`, { Accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' });
    expect(bySeries.status).toBe(200);
    expectSeedInstances(bySeries.parts, series);
    const one = await retrieve(`${base()}/series/${first!.seriesUid}/instances/${first!.sopInstanceUid}`, { Accept: 'multipart/related' });
    expect(one.status).toBe(200);
    expectSeedInstances(one.parts, [first!]);
  });

  it('answers study and series metadata as DICOM JSON from the manifest, without RAD-75', async () => {
    const before = gatewayB().stats().rad75;
    const study = await getJson(`${base()}/metadata`, { Accept: 'application/dicom+json' });
    expect(study.status).toBe(200);
    expect(study.headers.get('content-type')).toContain('application/dicom+json');
    expect(study.body.map((d: any) => d['00080018'].Value[0]).sort()).toEqual(images.map((e) => e.sopInstanceUid).sort());
    const [first] = images;
    expect(study.body[0]['00081190'].Value[0]).toMatch(new RegExp(`^${facade.url}/dicomweb/${id}/studies/${STUDY}/series/`));
    const series = await getJson(`${base()}/series/${first!.seriesUid}/metadata`);
    expect(series.body.every((d: any) => d['0020000E'].Value[0] === first!.seriesUid)).toBe(true);
    expect(series.body).toHaveLength(images.filter((e) => e.seriesUid === first!.seriesUid).length);
    const instance = await getJson(`${base()}/series/${first!.seriesUid}/instances/${first!.sopInstanceUid}/metadata`);
    expect(instance.body.map((d: any) => d['00080018'].Value[0])).toEqual([first!.sopInstanceUid]);
    expect(instance.body[0]['00080016'].Value[0]).toBe(first!.sopClassUid);
    expect((await fetch(base(), { method: 'HEAD' })).status).toBe(405);
    expect(gatewayB().stats().rad75).toBe(before);
  });

  it('answers 404 (OperationOutcome) for an instance, series or study the manifest does not list, without asking upstream', async () => {
    const before = gatewayB().stats().rad75;
    const [first] = images;
    for (const url of [`${base()}/series/${first!.seriesUid}/instances/2.999.404`, `${base()}/series/2.999.404`, `${facade.url}/dicomweb/${id}/studies/2.999.404`, `${base()}/series/2.999.404/metadata`]) {
      const res = await getJson(url);
      expect(res.status).toBe(404);
      expect(res.body.issue[0].details.coding[0].code).toBe('NO_RECORD_FOUND');
    }
    expect(gatewayB().stats().rad75).toBe(before);
  });

  it('retrieves frames of an instance (Retrieve Frames): the Pixel Data as stored, byte for byte as dcmdump +W writes it', async () => {
    const [first] = images;
    const url = `${base()}/series/${first!.seriesUid}/instances/${first!.sopInstanceUid}/frames/1`;
    const before = gatewayB().stats().rad75;
    const { status, headers, parts } = await retrieve(url, { Accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=*' });
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^multipart\/related; type="application\/octet-stream"; boundary=/);
    expect(parts).toHaveLength(1);
    expect(parts[0]!.headers['content-type']).toBe('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1');
    // The referee: dcmtk writes the instance's Pixel Data element to a file of its own.
    const dir = fs.mkdtempSync(path.join(tmp, 'frames-'));
    const file = path.join(dir, 'instance.dcm');
    fs.writeFileSync(file, seedBytes(first!));
    dcmtk('dcmdump', ['+W', dir, file]);
    expect(Buffer.compare(parts[0]!.body, fs.readFileSync(`${file}.0.raw`))).toBe(0);
    expect(gatewayB().stats().rad75).toBe(before + 1);
  });

  it('answers 404 for a frame the instance does not have, 400 for a bad frame list, 406 for a transfer syntax it would have to convert to', async () => {
    const [first] = images;
    const url = (frames: string) => `${base()}/series/${first!.seriesUid}/instances/${first!.sopInstanceUid}/frames/${frames}`;
    const missing = await getJson(url('1,2'));
    expect(missing.status).toBe(404);
    expect(missing.body.issue[0].diagnostics).toMatch(/has 1 frame; no frame 2/);
    expect((await getJson(url('0'))).status).toBe(400);
    expect((await getJson(url('one'))).status).toBe(400);
    const converted = await getJson(url('1'), { Accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=1.2.840.10008.1.2.4.50' });
    expect(converted.status).toBe(406);
    expect((await getJson(url('1'), { Accept: 'image/jpeg' })).status).toBe(406);
  });

  it('refuses (406) media types it cannot serve', async () => {
    for (const accept of ['application/json', 'multipart/related; type="application/octet-stream"', 'image/jpeg']) {
      const res = await getJson(base(), { Accept: accept });
      expect(res.status).toBe(406);
      expect(res.body.resourceType).toBe('OperationOutcome');
    }
    expect((await getJson(`${base()}/metadata`, { Accept: 'application/dicom+xml' })).status).toBe(406);
  });
});

describe('QIDO-RS /dicomweb/{manifestId}/…studies|series|instances', () => {
  const root = () => `${facade.url}/dicomweb/${id}`;
  const valuesOf = (body: any[], tag: string): unknown[] => body.map((d) => d[tag]?.Value?.[0]);
  const seriesUids = [...new Set(images.map((e) => e.seriesUid))];

  it('searches for studies: the manifest\'s study with its counts, modalities and Retrieve URL, without RAD-75', async () => {
    const before = gatewayB().stats().rad75;
    const res = await getJson(`${root()}/studies`, { Accept: 'application/dicom+json' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/dicom+json');
    expect(res.body).toHaveLength(1);
    const [study] = res.body;
    expect(study['0020000D'].Value).toEqual([STUDY]);
    expect(study['00201206'].Value).toEqual([seriesUids.length]);
    expect(study['00201208'].Value).toEqual([images.length]);
    expect(study['00080061'].Value).toEqual(['CT']);
    expect(study['00081190'].Value).toEqual([`${root()}/studies/${STUDY}`]);
    expect(Object.keys(study)).toEqual([...Object.keys(study)].sort());
    expect(gatewayB().stats().rad75).toBe(before);
  });

  it('searches for series and instances, under the study and the series, with matching keys, limit and offset', async () => {
    const series = await getJson(`${root()}/studies/${STUDY}/series`);
    expect(valuesOf(series.body, '0020000E')).toEqual(seriesUids);
    expect(series.body.map((d: any) => d['00201209'].Value[0])).toEqual(seriesUids.map((u) => images.filter((e) => e.seriesUid === u).length));
    const [first] = images;
    const inSeries = await getJson(`${root()}/studies/${STUDY}/series/${first!.seriesUid}/instances`);
    expect((valuesOf(inSeries.body, '00080018') as string[]).sort()).toEqual(images.filter((e) => e.seriesUid === first!.seriesUid).map((e) => e.sopInstanceUid).sort());
    const all = await getJson(`${root()}/instances?includefield=all&fuzzymatching=false`);
    expect(all.body).toHaveLength(images.length);
    const byUid = await getJson(`${root()}/instances?SOPInstanceUID=${first!.sopInstanceUid}`);
    expect(valuesOf(byUid.body, '00080018')).toEqual([first!.sopInstanceUid]);
    const byTag = await getJson(`${root()}/series?0020000E=${seriesUids[1]}`);
    expect(valuesOf(byTag.body, '0020000E')).toEqual([seriesUids[1]]);
    const page = await getJson(`${root()}/studies/${STUDY}/instances?limit=2&offset=1`);
    expect(valuesOf(page.body, '00080018')).toEqual(valuesOf(all.body, '00080018').slice(1, 3));
    expect((await getJson(`${root()}/studies?ModalitiesInStudy=MR`)).body).toEqual([]);
    expect((await getJson(`${root()}/studies?ModalitiesInStudy=C*`)).body).toHaveLength(1);
  });

  it('refuses (400, naming it) a parameter it cannot match on, before reading the manifest', async () => {
    const before = gatewayB().stats().iti39;
    const res = await getJson(`${root()}/studies?PatientName=DOE*`);
    expect(res.status).toBe(400);
    expect(res.body.issue[0].diagnostics).toMatch(/'PatientName' is not a matching key/);
    expect((await getJson(`${root()}/instances?limit=many`)).status).toBe(400);
    expect(gatewayB().stats().iti39).toBe(before);
  });
});

describe('hostile manifests and failing imaging gateways', () => {
  const HOME = 'urn:oid:2.999.1.2';
  const REPOSITORY = '2.999.1.2.1';
  let sandboxB: SandboxGateway;
  let gw: KosGateway;
  let hostile: TestFacade;
  const idOf = (uid: string): string => binaryId({ communityKey: communityKey(HOME), repositoryUniqueId: REPOSITORY, documentUniqueId: uid })!;
  const kos = seedKosBytes();
  const EVIDENCE = Buffer.from([0x40, 0x00, 0x75, 0xa3, 0x53, 0x51, 0x00, 0x00]);
  const hugeLength = Buffer.from(kos);
  hugeLength.writeUInt32LE(0x7ffffff0, hugeLength.indexOf(EVIDENCE) + 16);
  const ping = async (): Promise<number> => (await fetch(`${hostile.url}/_ping`)).status;
  const dicom = (bytes: Buffer) => ({ mimeType: 'application/dicom', bytes });

  beforeAll(async () => {
    sandboxB = await startSandboxGateway({ name: 'Sandbox Community B', homeCommunityId: HOME, seed: loadSandboxSeed('community-b') });
    gw = await startKosGateway(sandboxB.iti38Url);
    for (const image of images) gw.instances.set(image.sopInstanceUid, seedBytes(image));
    const file = path.join(tmp, 'communities.json');
    fs.writeFileSync(file, JSON.stringify({ communities: [{ homeCommunityId: HOME, name: 'Hostile imaging gateway', iti38Url: `${gw.url}/iti38`, iti39Url: `${gw.url}/iti39`, rad75Url: `${gw.url}/rad75`, timeoutMs: 2000 }] }));
    hostile = await startTestFacade({ COMMUNITIES_FILE: file, ALLOW_INSECURE_UPSTREAM: 'true' });
    running.push(hostile);
  });
  afterAll(async () => {
    await hostile?.close();
    await gw?.close();
    await sandboxB?.close();
  });

  it.each<[string, () => StoredDocument, RegExp]>([
    ['not DICOM', () => dicom(Buffer.from('%PDF-1.4 this is not a DICOM file at all, whatever its MIME type says')), /not a DICOM Part 10 file/],
    ['truncated', () => dicom(kos.subarray(0, 1200)), /truncated/],
    ['a huge length field in the evidence', () => dicom(hugeLength), /unusable imaging manifest: the manifest/],
    ['without the evidence sequence', () => dicom(modifiedKos(tmp, 'no-evidence', ['-e', '(0040,a375)'])), /lacks the Current Requested Procedure Evidence Sequence/],
    ['larger than the manifest limit', () => dicom(Buffer.concat([kos, Buffer.alloc(5 * 1024 * 1024)])), /larger than the 4194304 bytes/],
    ['a PDF, not application/dicom', () => ({ mimeType: 'application/pdf', bytes: Buffer.from('%PDF-1.4') }), /application\/pdf/],
    ['a KOS whose Patient ID is a local number, read with no search', () => dicom(modifiedKos(tmp, 'local-patient', ['-m', '(0010,0020)=SBB0000009', '-e', '(0010,0024)', '-m', '(0010,0021)=2.999.1.2.2'])), /does not identify its patient by NHS number/],
  ])('a manifest %s -> 502 with a clear OperationOutcome; the service lives on', async (_label, make, message) => {
    const uid = `2.999.1.2.1.9${String(gw.documents.size).padStart(2, '0')}`;
    gw.documents.set(uid, make());
    const res = await getJson(`${hostile.fhir}/ImagingStudy/${idOf(uid)}`);
    expect(res.status).toBe(502);
    expect(validateResource(res.body, 'OperationOutcome')).toMatchObject({ valid: true });
    expect(res.body.issue[0].diagnostics).toMatch(message);
    // A manifest the community sent broken names the community; a patient that cannot be told says what to do.
    expect(res.body.issue[0].diagnostics).toMatch(/Hostile imaging gateway|search ImagingStudy\?patient\.identifier=/);
    expect(await ping()).toBe(200);
  });

  it('leaves a broken manifest out of the search with a warning naming it; reading it is then 502', async () => {
    gw.fallback = dicom(kos.subarray(0, 700));
    const url = `${hostile.fhir}/ImagingStudy?patient.identifier=${encodeURIComponent(`${NHS_SYSTEM}|9000000009`)}`;
    const { status, body } = await getJson(url);
    expect(status).toBe(200);
    expect(body.total).toBe(0);
    const outcome = body.entry.find((e: any) => e.search.mode === 'outcome').resource;
    const warning = outcome.issue.find((i: any) => /Imaging manifest ImagingStudy\//.test(i.diagnostics));
    expect(warning).toMatchObject({ severity: 'warning', code: 'exception' });
    const leftOut = /ImagingStudy\/([A-Za-z0-9.-]+)/.exec(warning.diagnostics)![1]!;
    expect((await getJson(`${hostile.fhir}/ImagingStudy/${leftOut}`)).status).toBe(502);

    // Once the community serves a usable manifest whose Patient ID is local, the search vouches for the patient.
    gw.documents.set('2.999.1.2.1.1', dicom(modifiedKos(tmp, 'local-patient-2', ['-m', '(0010,0020)=SBB0000009', '-e', '(0010,0024)', '-m', '(0010,0021)=2.999.1.2.2'])));
    const again = await getJson(url, { 'Cache-Control': 'no-cache' });
    expect(again.body.total).toBe(1);
    expect(again.body.entry[0].resource.subject.identifier.value).toBe('9000000009');
    const read = await getJson(`${hostile.fhir}/ImagingStudy/${leftOut}`);
    expect(read.status).toBe(200);
    expect(read.body.subject.identifier.value).toBe('9000000009');
  });

  describe('RAD-75 answers', () => {
    const study = () => `${hostile.url}/dicomweb/${idOf('2.999.1.2.1.950')}/studies/${STUDY}`;
    beforeAll(() => {
      gw.documents.set('2.999.1.2.1.950', dicom(kos));
    });

    it('a complete answer: 200 and every instance', async () => {
      gw.rad75Mode = 'all';
      const { status, parts } = await retrieve(study());
      expect(status).toBe(200);
      expectSeedInstances(parts, images);
    });

    it('a partial answer (PartialSuccess): 206, the parts received and a Warning saying how many are missing', async () => {
      gw.rad75Mode = 'partial';
      const { status, headers, parts } = await retrieve(study());
      expect(status).toBe(206);
      expect(headers.get('warning')).toBe(`299 - "2 of ${images.length} requested instances could not be retrieved; the responding gateway reported XDSDocumentUniqueIdError"`);
      expect(parts).toHaveLength(images.length - 2);
      const seeded = new Set(images.map((e) => e.sha256));
      for (const part of parts) expect(seeded.has(sha256(part.body))).toBe(true);
    });

    it('no instance at all (Failure, XDSDocumentUniqueIdError): 404 OperationOutcome', async () => {
      gw.rad75Mode = 'none';
      const res = await getJson(study());
      expect(res.status).toBe(404);
      expect(res.body.issue[0].details.coding[0].code).toBe('NO_RECORD_FOUND');
      expect(res.body.issue[0].diagnostics).toContain('XDSDocumentUniqueIdError');
    });

    it('an upstream break mid-stream destroys the connection: never a clean, short multipart', async () => {
      gw.rad75Mode = 'cut';
      const res = await fetch(study(), { headers: hostile.headers });
      expect(res.status).toBe(200);
      await expect(res.arrayBuffer()).rejects.toThrow();
      expect(await ping()).toBe(200);
    });
  });
});
