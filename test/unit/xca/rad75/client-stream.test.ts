import type http from 'node:http';
import { crossGatewayRetrieveImaging, type RetrievedInstance } from '../../../../src/xca/rad75';
import { attrOf, childNamed } from '../../../../src/xca/xml/subtree';
import { startPeer, type Peer } from '../support/http-peer';
import { parseTree } from '../support/tree';
import {
  BOUNDARY, cidOf, collect, community, dicomLike, HOME, imagingPackage, imagingXml, mtomContentType, readOurRequest, REPOSITORY, send, sha256, SOAP, STUDY_REQUEST, STUDY_UIDS, writeWithBackPressure, XDSB, XDSI,
} from './kit';

const files = STUDY_UIDS.map((uid, i) => [uid, dicomLike(40_000 + i * 7919)] as const);
const answer = (rootLast = false): Buffer => imagingPackage(imagingXml(STUDY_UIDS.map((uid) => ({ uid }))), files, { rootLast });

/** Read every instance, one after the other, as the contract asks. */
async function readAll(instances: AsyncIterable<RetrievedInstance>): Promise<Array<{ uid: string; series: string; mimeType: string; sha: string }>> {
  const out = [];
  for await (const instance of instances) {
    const bytes = await collect(instance.body);
    out.push({ uid: instance.documentUniqueId, series: instance.seriesInstanceUid, mimeType: instance.mimeType, sha: sha256(bytes) });
  }
  return out;
}

const expected = files.map(([uid, bytes], i) => ({ uid, series: STUDY_REQUEST.series[Math.floor(i / 3)]?.seriesInstanceUid, mimeType: 'application/dicom', sha: sha256(bytes) }));

describe('crossGatewayRetrieveImaging (a study streamed instance by instance)', () => {
  let peer: Peer | undefined;
  afterEach(async () => {
    await peer?.close();
    peer = undefined;
  });

  it.each([
    ['root part first', false],
    ['root part last (attachments held within readMtom bound)', true],
  ])('yields 2 series × 3 instances in DocumentResponse order, byte for byte (%s)', async (_name, rootLast) => {
    peer = await startPeer((_req, res) => send(res, answer(rootLast), mtomContentType()));
    const retrieval = await crossGatewayRetrieveImaging(community(peer.url), STUDY_REQUEST);
    expect(retrieval).toMatchObject({ status: 'Success', registryErrors: [], missingSopInstanceUids: [] });
    expect(await readAll(retrieval.instances)).toEqual(expected);
  });

  it('follows the order of the DocumentResponses, not of the request', async () => {
    const order = [...STUDY_UIDS].reverse();
    const reversed = order.map((uid) => files.find(([u]) => u === uid)!);
    peer = await startPeer((_req, res) => send(res, imagingPackage(imagingXml(order.map((uid) => ({ uid }))), reversed), mtomContentType()));
    const retrieval = await crossGatewayRetrieveImaging(community(peer.url), STUDY_REQUEST);
    expect((await readAll(retrieval.instances)).map((i) => i.uid)).toEqual(order);
  });

  it('yields the next instance only once the previous body has been read to its end', async () => {
    peer = await startPeer((_req, res) => send(res, answer(), mtomContentType()));
    const iterator = (await crossGatewayRetrieveImaging(community(peer.url), STUDY_REQUEST)).instances[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done === true) throw new Error('no instance');
    let settled = false;
    const second = iterator.next().then((r) => {
      settled = true;
      return r;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(settled).toBe(false);
    expect(sha256(await collect(first.value.body))).toBe(expected[0]?.sha);
    const next = await second;
    expect(next.done === true ? undefined : next.value.documentUniqueId).toBe(STUDY_UIDS[1]);
    await iterator.return?.();
  });

  it('streams: the server is never far ahead of the consumer, whatever the study size', async () => {
    const MiB = 1024 * 1024;
    const block = dicomLike(MiB);
    const uids = STUDY_UIDS.slice(0, 3);
    const request = { ...STUDY_REQUEST, series: [{ seriesInstanceUid: STUDY_REQUEST.series[0]!.seriesInstanceUid, instances: STUDY_REQUEST.series[0]!.instances }] };
    let produced = 0;
    /** The package as it is written: root part, then each instance generated block by block. */
    function* study(): Generator<Buffer> {
      const head = imagingPackage(imagingXml(uids.map((uid) => ({ uid }))), []);
      yield head.subarray(0, head.lastIndexOf('\r\n--'));
      for (const uid of uids) {
        yield Buffer.from(`\r\n--${BOUNDARY}\r\nContent-ID: <${cidOf(uid)}>\r\nContent-Type: application/dicom\r\n\r\n`, 'latin1');
        for (let i = 0; i < 16; i += 1) yield block;
      }
      yield Buffer.from(`\r\n--${BOUNDARY}--\r\n`, 'latin1');
    }
    peer = await startPeer(async (_req, res: http.ServerResponse) => {
      res.writeHead(200, { 'content-type': mtomContentType() });
      await writeWithBackPressure(res, study(), (bytes) => (produced = bytes));
      res.end();
    });
    const retrieval = await crossGatewayRetrieveImaging(community(peer.url, 5000), request);
    let received = 0;
    let maxAhead = 0;
    const hashes: string[] = [];
    for await (const instance of retrieval.instances) {
      const chunks: Buffer[] = [];
      for await (const chunk of instance.body) {
        received += (chunk as Buffer).length;
        maxAhead = Math.max(maxAhead, produced - received);
        chunks.push(chunk as Buffer);
        if (chunks.length % 8 === 0) await new Promise((resolve) => setTimeout(resolve, 1)); // a slow consumer
      }
      hashes.push(sha256(Buffer.concat(chunks)));
    }
    const one = sha256(Buffer.concat(Array.from({ length: 16 }, () => block)));
    expect(hashes).toEqual([one, one, one]);
    expect(received).toBe(3 * 16 * MiB);
    expect(produced).toBeGreaterThan(received);
    // Socket buffers and a chunk or two, never an instance (16 MiB) or the study (48 MiB).
    expect(maxAhead).toBeLessThan(8 * MiB);
  }, 60_000);

  it('sends an MTOM request with the RAD-75 action and the study/series/document structure', async () => {
    peer = await startPeer((_req, res) => send(res, answer(), mtomContentType()));
    await readAll((await crossGatewayRetrieveImaging(community(peer.url), STUDY_REQUEST)).instances);
    const seen = peer.seen[0];
    expect(seen?.method).toBe('POST');
    expect(seen?.headers['accept']).toContain('multipart/related');
    const request = await readOurRequest(seen?.headers['content-type'], seen?.body ?? '');
    expect(request.type).toBe('multipart/related');
    expect(request.params).toMatchObject({ type: 'application/xop+xml', 'start-info': 'application/soap+xml', action: 'urn:ihe:rad:2011:CrossGatewayRetrieveImagingDocumentSet' });
    expect(request.rootType).toBe('application/xop+xml; charset=UTF-8; type="application/soap+xml"');
    const envelope = await parseTree(request.xml);
    const header = childNamed(envelope, SOAP, 'Header');
    expect(header && childNamed(header, 'http://www.w3.org/2005/08/addressing', 'Action')?.text).toBe('urn:ihe:rad:2011:CrossGatewayRetrieveImagingDocumentSet');
    expect(header && childNamed(header, 'http://www.w3.org/2005/08/addressing', 'To')?.text).toBe(peer.url);
    const body = childNamed(childNamed(envelope, SOAP, 'Body')!, XDSI, 'RetrieveImagingDocumentSetRequest')!;
    const study = childNamed(body, XDSI, 'StudyRequest')!;
    expect(attrOf(study, 'studyInstanceUID')).toBe(STUDY_REQUEST.studyInstanceUid);
    const tree = study.children.map((series) => [
      attrOf(series, 'seriesInstanceUID'),
      series.children.map((doc) => [doc.uri, doc.local, ...doc.children.map((c) => c.text)]),
    ]);
    expect(tree).toEqual(STUDY_REQUEST.series.map((s) => [s.seriesInstanceUid, s.instances.map((i) => [XDSB, 'DocumentRequest', HOME, REPOSITORY, i.sopInstanceUid])]));
    expect(childNamed(body, XDSI, 'TransferSyntaxUIDList')?.children.map((c) => c.text)).toEqual(STUDY_REQUEST.transferSyntaxUids);
  });
});
