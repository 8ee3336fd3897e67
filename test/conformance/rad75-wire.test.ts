import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { encodeMtomRequest, ITI39_LIMITS, parseRetrieveResponse } from '../../src/xca/iti39';
import { readMtom } from '../../src/xca/mtom';
import { PUBLIC_FIXTURES as FIXTURES, xmllint } from './public-fixtures';
import {
  buildRetrieveImagingDocumentSet, buildRetrieveImagingDocumentSetRequest, planImagingRetrieval, RAD75_ACTION, Rad75RegistryError, readImagingResponse, type Rad75Request,
} from '../../src/xca/rad75';
import { attrOf, type XmlNode } from '../../src/xca/xml/subtree';
import { GOLDEN_RAD75_ADDRESSING, goldenImagingRequests } from '../golden/rad75-requests';
import { parseTree } from '../unit/xca/support/tree';

/**
 * RAD-75 wire conformance against the public IHE material in PUBLIC_FIXTURES_DIR (default ../shared/fixtures):
 * our request validates against the SOAP 1.2 + XDS-I.b schemas (also once unpacked from its MTOM package) and has
 * the structure of NIST's RAD-75 requests (rig_54xx), and the RAD-75 responses NIST's test plans expect are read
 * at the root-part level: status, which instances answer, the RegistryErrors.
 */
const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, 'public/rad75', name), 'utf8');

const XDSI = 'urn:ihe:rad:xdsi-b:2009';
const XDSB = 'urn:ihe:iti:xds-b:2007';

/** xmllint's complaints about `file` ('' when it validates). */
function schemaErrors(file: string): string {
  const run = xmllint({ file });
  return run.code === 0 ? '' : run.stderr;
}

describe('RAD-75 requests validate against soap-envelope-ihe.xsd (xmllint)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rad75-xsd-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(Object.entries(goldenImagingRequests()))('%s, as built and as the root part of its MTOM package', async (file, request) => {
    const envelope = buildRetrieveImagingDocumentSet(request, GOLDEN_RAD75_ADDRESSING);
    const { contentType, body } = encodeMtomRequest(envelope, { action: RAD75_ACTION.request });
    const root = (await readMtom(Readable.from([body]), contentType)).root.xml;
    for (const [name, xml] of [[file, envelope], [`root-part-${file}`, root]] as const) {
      const target = path.join(dir, name);
      fs.writeFileSync(target, xml);
      expect(schemaErrors(target)).toBe('');
    }
  });

  const [firstFile, firstRequest] = Object.entries(goldenImagingRequests())[0] ?? [];
  it.each([
    ['ids out of order', (xml: string) => xml.replace(/(<xdsb:RepositoryUniqueId>[^<]*<\/xdsb:RepositoryUniqueId>)(\s*)(<xdsb:DocumentUniqueId>[^<]*<\/xdsb:DocumentUniqueId>)/, '$3$2$1'), /DocumentUniqueId': This element is not expected/],
    ['no TransferSyntaxUIDList', (xml: string) => xml.replace(/<xdsi:TransferSyntaxUIDList>[\s\S]*<\/xdsi:TransferSyntaxUIDList>/, ''), /Missing child element\(s\).*TransferSyntaxUIDList/],
    ['no seriesInstanceUID', (xml: string) => xml.replace(/ seriesInstanceUID="[^"]*"/, ''), /seriesInstanceUID' is required/],
  ])('the schema check is strict about the body (%s fails)', (name, mutate, message) => {
    if (!firstFile || !firstRequest) throw new Error('no golden request');
    const target = path.join(dir, `broken-${name.replace(/\W+/g, '-')}.xml`);
    fs.writeFileSync(target, mutate(buildRetrieveImagingDocumentSet(firstRequest, GOLDEN_RAD75_ADDRESSING)));
    const stderr = schemaErrors(target);
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/fails to validate/);
  });
});

/** An element reduced to what a receiver sees: namespace, name, attributes, trimmed text, children; no prefixes. */
type Canonical = [string, string, Record<string, string>, string, Canonical[]];
function canonical(node: XmlNode): Canonical {
  return [node.uri, node.local, Object.fromEntries(node.attributes), node.text.trim(), node.children.map(canonical)];
}

const child = (node: XmlNode, uri: string, local: string): XmlNode[] => node.children.filter((c) => c.uri === uri && c.local === local);
const text = (node: XmlNode, local: string): string => child(node, XDSB, local)[0]?.text.trim() ?? '';

/** The Rad75Request a NIST request stands for (one study, one home community, as in every rig_54xx request). */
function requestOf(nist: XmlNode): Rad75Request {
  const study = child(nist, XDSI, 'StudyRequest')[0];
  if (!study) throw new Error('no StudyRequest');
  const series = child(study, XDSI, 'SeriesRequest').map((s) => ({
    seriesInstanceUid: attrOf(s, 'seriesInstanceUID') ?? '',
    instances: child(s, XDSB, 'DocumentRequest').map((d) => ({ sopInstanceUid: text(d, 'DocumentUniqueId'), repositoryUniqueId: text(d, 'RepositoryUniqueId') })),
  }));
  const firstDocument = child(study, XDSI, 'SeriesRequest').flatMap((s) => child(s, XDSB, 'DocumentRequest'))[0];
  const home = firstDocument ? text(firstDocument, 'HomeCommunityId') : '';
  const syntaxes = child(nist, XDSI, 'TransferSyntaxUIDList').flatMap((l) => child(l, XDSI, 'TransferSyntaxUID').map((t) => t.text.trim()));
  return { homeCommunityId: home, studyInstanceUid: attrOf(study, 'studyInstanceUID') ?? '', series, transferSyntaxUids: syntaxes };
}

const NIST_REQUESTS = ['nist-rig_5420-RAD-75Request.xml', 'nist-rig_5426-RAD-75Request.xml', 'nist-rig_5427-RAD-75Request.xml', 'nist-rig_5428-RAD-75Request.xml'];

describe('RAD-75 requests have the structure of NIST\'s', () => {
  it.each(NIST_REQUESTS)('%s, rebuilt from its ids, reads the same (namespaces, names, attributes, text, order)', async (file) => {
    const nist = await parseTree(fixture(file));
    const ours = await parseTree(buildRetrieveImagingDocumentSetRequest(requestOf(nist)));
    expect(canonical(ours)).toEqual(canonical(nist));
  });
});

/** The RetrieveDocumentSetResponse a NIST test plan expects (TestPlan/TestStep/Standard/ResponseBody). */
function expectedResponse(file: string): string {
  const found = /<xdsb:RetrieveDocumentSetResponse[\s\S]*<\/xdsb:RetrieveDocumentSetResponse>/.exec(fixture(file));
  if (!found) throw new Error(`${file} holds no RetrieveDocumentSetResponse`);
  return found[0];
}

async function requestFor(id: string): Promise<Rad75Request> {
  // rig_5424 asks rig_5420's image in JPEG Baseline (RSNA ISV test 5424a); NIST keeps no separate request file.
  if (id === '5424') return { ...(await requestFor('5420')), transferSyntaxUids: ['1.2.840.10008.1.2.4.50'] };
  return requestOf(await parseTree(fixture(`nist-rig_${id}-RAD-75Request.xml`)));
}

const limits = { maxBytes: 1024 * 1024, maxDocumentChars: ITI39_LIMITS.maxInlineBytes, what: 'RAD-75 response' };
const read = async (id: string): Promise<ReturnType<typeof readImagingResponse>> =>
  readImagingResponse(Readable.from([Buffer.from(expectedResponse(`nist-rig_${id}-ValidateRad75Response-testplan.xml`))]), 'application/soap+xml', await requestFor(id));

describe('RAD-75 responses expected by NIST\'s test plans', () => {
  it.each([
    ['5420', 'Success', 1, []],
    ['5427', 'PartialSuccess', 1, ['XDSDocumentUniqueIdError']],
    ['5428', 'Success', 5, []],
  ] as const)('rig_%s: %s, %i instance(s) answered in order, errors %j', async (id, status, count, codes) => {
    const request = await requestFor(id);
    const parsed = await parseRetrieveResponse(Readable.from([expectedResponse(`nist-rig_${id}-ValidateRad75Response-testplan.xml`)]), limits);
    const plan = planImagingRetrieval(parsed, request, false);
    const served = plan.steps.flatMap((step) => (step.kind === 'serve' ? [step.instance] : []));
    expect(served).toHaveLength(count);
    expect(served.map((i) => i.mimeType)).toEqual(served.map(() => 'application/dicom'));
    const requested = request.series.flatMap((s) => s.instances.map((i) => i.sopInstanceUid));
    expect(served.map((i) => i.documentUniqueId)).toEqual(requested.filter((uid) => !plan.missing.includes(uid)));
    const retrieval = await read(id);
    expect(retrieval.status).toBe(status);
    expect(retrieval.registryErrors.map((e) => e.errorCode)).toEqual(codes);
    expect(retrieval.missingSopInstanceUids).toEqual(plan.missing);
    retrieval.abort();
  });

  it('rig_5427: the unknown instance is the one reported missing', async () => {
    const retrieval = await read('5427');
    expect(retrieval.missingSopInstanceUids).toEqual(['1.3.6.1.4.1.21367.201599.3.201606021454003.1.999']);
    retrieval.abort();
  });

  it('rig_5420: NIST elides the pixel data ("..."), which is refused as not base64 rather than served', async () => {
    const retrieval = await read('5420');
    const iterator = retrieval.instances[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toMatchObject({ kind: 'unparseable', message: expect.stringMatching(/not valid base64/) });
  });

  it.each([
    ['5424', 'XDSRepositoryError', /cannot encode the pixel data using any of the requested transfer syntaxes/],
    ['5426', 'XDSIUnknownIdsUid', /Don't have configuration for IDS/],
  ])('rig_%s: Failure without instances is a Rad75RegistryError %s', async (id, code, context) => {
    const err: unknown = await read(id).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Rad75RegistryError);
    expect(err).toMatchObject({ status: 'Failure', primaryCode: code });
    expect((err as Rad75RegistryError).errors[0]?.codeContext).toMatch(context);
  });
});
