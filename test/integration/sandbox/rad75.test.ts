import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromRoot } from '../../../src/config/paths';
import { parseKosManifest } from '../../../src/imaging/kos';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { HOME_A, HOME_B, summary } from './helpers';
import { encodeMtomRequest } from '../../../src/xca/iti39';
import { envelope, EXPLICIT_VR_LE, iti39Request, PARTIAL_SUCCESS, RAD75_ACTION, rad75Request, REPO_A, REPO_B, retrieve, sha256, XDSB, type DocRef, type SeriesRef } from './retrieve-helpers';

/**
 * RAD-75 against the sandbox over real HTTP. The requests are built from the KOS manifest that Community B serves
 * through ITI-39, the way an imaging document consumer reads it: study › series › instances, repository = the
 * Retrieve Location UID. The instances returned must be the seed's DICOM files byte for byte.
 */
interface IndexEntry {
  readonly path: string;
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly seriesUid: string;
  readonly studyUid: string;
  readonly sha256: string;
}
const dicomDir = fromRoot('src', 'sandbox', 'seed', 'dicom');
const index = (JSON.parse(fs.readFileSync(path.join(dicomDir, 'index.json'), 'utf8')) as { files: IndexEntry[] }).files;
const byUid = new Map(index.map((f) => [f.sopInstanceUid, f]));
const JPEG_BASELINE = '1.2.840.10008.1.2.4.50';

let sandbox: Sandbox;
let url: string;
let series: Array<{ study: string; series: string; repository: string; instances: string[] }>;
beforeAll(async () => {
  sandbox = await startSandbox({ largeDocumentBytes: 64 * 1024 });
  url = sandbox.gateways[1].rad75Url;
  // The manifest, fetched by ITI-39 like any consumer would.
  const iti39 = sandbox.gateways[1].iti39Url;
  const kos = await retrieve(iti39, iti39Request(iti39, [{ home: HOME_B, repository: REPO_B, document: '2.999.1.2.1.1' }]));
  const manifest = parseKosManifest(kos.documents[0]!.bytes);
  series = manifest.series.map((s) => ({ study: s.studyUid, series: s.seriesUid, repository: s.retrieveLocationUid ?? '', instances: s.instances.map((i) => i.sopInstanceUid) }));
});
afterAll(async () => {
  await sandbox.close();
});

const ref = (document: string, repository = REPO_B, home: string | null = HOME_B): DocRef => ({ home, repository, document });
function seriesRef(s: { series: string; repository: string; instances: string[] }, pick = s.instances): SeriesRef {
  return { series: s.series, docs: pick.map((uid) => ref(uid, s.repository)) };
}

describe('RAD-75: the instances of the manifest', () => {
  it('the manifest names B as the Retrieve Location of at least five images in two series', () => {
    expect(series.length).toBeGreaterThanOrEqual(2);
    expect(series.flatMap((s) => s.instances).length).toBeGreaterThanOrEqual(5);
    expect(new Set(series.map((s) => s.repository))).toEqual(new Set([REPO_B]));
  });

  it('study level: every instance of every series, byte for byte, application/dicom, in request order', async () => {
    const study = series[0]!.study;
    const answer = await retrieve(url, rad75Request(url, [{ study, series: series.map((s) => seriesRef(s)) }]));
    const asked = series.flatMap((s) => s.instances);
    expect(answer.httpStatus).toBe(200);
    expect(answer.status).toBe('urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success');
    expect(answer.documents.map((d) => d.document)).toEqual(asked);
    for (const d of answer.documents) {
      expect(d).toMatchObject({ home: HOME_B, repository: REPO_B, mimeType: 'application/dicom' });
      expect(sha256(d.bytes)).toBe(byUid.get(d.document!)!.sha256);
    }
    expect(summary(answer.root).action).toBe('urn:ihe:rad:2011:CrossGatewayRetrieveImagingDocumentSetResponse');
    expect(answer.contentType).toContain('action="urn:ihe:rad:2011:CrossGatewayRetrieveImagingDocumentSetResponse"');
    expect(answer.partTypes.slice(1)).toEqual(asked.map(() => 'application/dicom'));
  });

  it('series level: the instances of one series only', async () => {
    const [, second] = series;
    const answer = await retrieve(url, rad75Request(url, [{ study: second!.study, series: [seriesRef(second!)] }]));
    expect(answer.documents.map((d) => d.document)).toEqual(second!.instances);
    expect(answer.documents.every((d) => byUid.get(d.document!)!.seriesUid === second!.series)).toBe(true);
  });

  it('instance level: one instance, which dcmdump reads with the UIDs the request named', async () => {
    const s = series[0]!;
    const uid = s.instances[1]!;
    const answer = await retrieve(url, rad75Request(url, [{ study: s.study, series: [seriesRef(s, [uid])] }]));
    expect(answer.documents).toHaveLength(1);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rad75-')), 'instance.dcm');
    fs.writeFileSync(file, answer.documents[0]!.bytes);
    const dump = execFileSync('dcmdump', ['--no-uid-names', file], { encoding: 'utf8' });
    expect(dump).toMatch(new RegExp(`^\\(0008,0018\\) UI \\[${uid.replace(/\./g, '\\.')}\\]`, 'm'));
    expect(dump).toMatch(new RegExp(`^\\(0020,000e\\) UI \\[${s.series.replace(/\./g, '\\.')}\\]`, 'm'));
    expect(dump).toMatch(/^\(0002,0010\) UI \[1\.2\.840\.10008\.1\.2\.1\]/m);
    fs.rmSync(path.dirname(file), { recursive: true });
  });

  it('accepts a list of transfer syntaxes that includes the stored one', async () => {
    const s = series[0]!;
    const answer = await retrieve(url, rad75Request(url, [{ study: s.study, series: [seriesRef(s)] }], [JPEG_BASELINE, EXPLICIT_VR_LE]));
    expect(answer.documents).toHaveLength(s.instances.length);
  });
});

describe('RAD-75: errors per instance', () => {
  it('an unknown instance next to a known one -> PartialSuccess with XDSDocumentUniqueIdError (NIST rig_5427)', async () => {
    const s = series[0]!;
    const answer = await retrieve(url, rad75Request(url, [{ study: s.study, series: [{ series: s.series, docs: [ref(s.instances[0]!), ref(`${s.instances[0]!}.999`)] }] }]));
    expect(answer.status).toBe(PARTIAL_SUCCESS);
    expect(answer.documents.map((d) => d.document)).toEqual([s.instances[0]]);
    expect(answer.errors).toEqual([expect.objectContaining({ errorCode: 'XDSDocumentUniqueIdError', location: HOME_B, codeContext: expect.stringContaining(`${s.instances[0]!}.999`) })]);
  });

  it('an instance asked for under the wrong series is not found', async () => {
    const [first, second] = series;
    const answer = await retrieve(url, rad75Request(url, [{ study: first!.study, series: [{ series: second!.series, docs: [ref(first!.instances[0]!)] }] }]));
    expect(answer.status).toBe('urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure');
    expect(answer.errors.map((e) => e.errorCode)).toEqual(['XDSDocumentUniqueIdError']);
  });

  it('a transfer syntax list without the stored one -> XDSRepositoryError per instance (NIST rig_5424)', async () => {
    const s = series[0]!;
    const answer = await retrieve(url, rad75Request(url, [{ study: s.study, series: [seriesRef(s, s.instances.slice(0, 2))] }], [JPEG_BASELINE]));
    expect(answer.status).toBe('urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure');
    expect(answer.documents).toEqual([]);
    expect(answer.errors.map((e) => e.errorCode)).toEqual(['XDSRepositoryError', 'XDSRepositoryError']);
    expect(answer.errors[0]!.codeContext).toMatch(/transfer syntax not supported/);
  });

  it.each([
    ['an unknown repository (NIST rig_5426)', ref('2.999.1.2.5.1.1.1', '2.999.1.2.1.999'), 'XDSUnknownRepositoryId'],
    ['another community', ref('2.999.1.2.5.1.1.1', REPO_B, HOME_A), 'XDSUnknownCommunity'],
  ] as const)('%s -> %s', async (_name, doc, code) => {
    const answer = await retrieve(url, rad75Request(url, [{ study: '2.999.1.2.5.1', series: [{ series: '2.999.1.2.5.1.1', docs: [doc] }] }]));
    expect(answer.errors.map((e) => e.errorCode)).toEqual([code]);
  });

  it('Community A holds no DICOM: its own repository answers XDSDocumentUniqueIdError', async () => {
    const urlA = sandbox.gateways[0].rad75Url;
    const answer = await retrieve(urlA, rad75Request(urlA, [{ study: '2.999.1.2.5.1', series: [{ series: '2.999.1.2.5.1.1', docs: [ref('2.999.1.2.5.1.1.1', REPO_A, HOME_A)] }] }]));
    expect(answer.errors.map((e) => e.errorCode)).toEqual(['XDSDocumentUniqueIdError']);
  });

  it('refuses an ITI-39 body and a request without TransferSyntaxUIDList with Sender faults; counts rad75 stats', async () => {
    const gw = sandbox.gateways[1];
    gw.resetStats();
    const iti39Body = `<xdsb:RetrieveDocumentSetRequest xmlns:xdsb="${XDSB}"/>`;
    const fault = await retrieve(url, encodeMtomRequest(envelope(RAD75_ACTION, url, iti39Body), { action: RAD75_ACTION }));
    expect([fault.httpStatus, summary(fault.root).faultReason]).toEqual([400, expect.stringMatching(/Expected \{urn:ihe:rad:xdsi-b:2009\}RetrieveImagingDocumentSetRequest/)]);
    const noList = rad75Request(url, [{ study: '2.999.1.2.5.1', series: [{ series: '2.999.1.2.5.1.1', docs: [ref('2.999.1.2.5.1.1.1')] }] }]);
    const stripped = { contentType: noList.contentType, body: noList.body.toString('utf8').replace(/<xdsi:TransferSyntaxUIDList>.*<\/xdsi:TransferSyntaxUIDList>/, '') };
    expect(summary((await retrieve(url, stripped)).root).faultReason).toMatch(/TransferSyntaxUIDList/);
    await retrieve(url, rad75Request(url, [{ study: '2.999.1.2.5.1', series: [{ series: '2.999.1.2.5.1.1', docs: [ref('2.999.1.2.5.1.1.1'), ref('2.999.9')] }] }]));
    expect(gw.stats()).toMatchObject({ rad75: 3, rad75Documents: 1, retrieveErrors: 1, soapFaults: 2 });
  });
});
