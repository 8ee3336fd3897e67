import type http from 'node:http';
import { XcaError } from '../../../../src/xca/errors';
import { crossGatewayRetrieve } from '../../../../src/xca/iti39';
import { startPeer, type Peer } from '../support/http-peer';
import { binaryPart, collect, community, mtomAnswer, mtomContentType, PDF_DOC, pdfLike, rejectionOf, REQUEST, retrieveXml, rootPart } from './kit';

/** An upstream that breaks, stalls or is cut off: the document stream must error, never end short. */
describe('crossGatewayRetrieve (broken and slow upstreams)', () => {
  let peer: Peer | undefined;
  afterEach(async () => {
    await peer?.close();
    peer = undefined;
  });

  const pdf = pdfLike(512 * 1024);
  const whole = mtomAnswer([rootPart(retrieveXml([{ ...PDF_DOC, cid: 'd@x' }])), binaryPart('d@x', pdf)]);
  /** Everything up to the middle of the document. */
  const half = whole.subarray(0, whole.indexOf(pdf.subarray(0, 64)) + pdf.length / 2);

  function startChunked(res: http.ServerResponse): void {
    res.writeHead(200, { 'content-type': mtomContentType(), 'transfer-encoding': 'chunked' });
    res.write(half);
  }

  it('errors the stream (network) when the server dies mid-document', async () => {
    peer = await startPeer((_req, res) => {
      startChunked(res);
      setTimeout(() => res.socket?.destroy(), 50);
    });
    const doc = await crossGatewayRetrieve(community(peer.url), REQUEST);
    const err = await rejectionOf(collect(doc.body));
    expect(err).toBeInstanceOf(XcaError);
    expect(err).toMatchObject({ kind: 'network' });
  });

  it('errors the stream (unparseable) when the body ends cleanly before the close delimiter', async () => {
    peer = await startPeer((_req, res) => {
      startChunked(res);
      setTimeout(() => res.end(), 50);
    });
    const doc = await crossGatewayRetrieve(community(peer.url), REQUEST);
    const err = await rejectionOf(collect(doc.body));
    expect(err).toMatchObject({ kind: 'unparseable', message: expect.stringMatching(/cut short/) });
  });

  it('times out (community.timeoutMs) when the server sends no headers', async () => {
    peer = await startPeer(() => undefined); // never answers
    const started = Date.now();
    const err = await rejectionOf(crossGatewayRetrieve(community(peer.url, 300), REQUEST));
    expect(err).toMatchObject({ kind: 'timeout', message: expect.stringMatching(/within 300 ms/) });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('times out when the headers come but the root part never completes', async () => {
    peer = await startPeer((_req, res) => {
      res.writeHead(200, { 'content-type': mtomContentType() });
      res.write(whole.subarray(0, 200));
    });
    const err = await rejectionOf(crossGatewayRetrieve(community(peer.url, 300), REQUEST));
    expect(err).toMatchObject({ kind: 'timeout' });
  });

  it('errors the stream (timeout) when the document stalls longer than the idle timeout', async () => {
    peer = await startPeer((_req, res) => startChunked(res)); // then silence
    const doc = await crossGatewayRetrieve(community(peer.url, 5000), REQUEST, { bodyIdleTimeoutMs: 300 });
    const started = Date.now();
    const err = await rejectionOf(collect(doc.body));
    expect(err).toMatchObject({ kind: 'timeout', message: expect.stringMatching(/no document bytes for 300 ms/) });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('lets a slow document through as long as bytes keep coming (the deadline stops at the first bytes)', async () => {
    peer = await startPeer((_req, res) => {
      res.writeHead(200, { 'content-type': mtomContentType() });
      const pieces = 8;
      const step = Math.ceil(whole.length / pieces);
      let i = 0;
      const tick = (): void => {
        res.write(whole.subarray(i * step, (i + 1) * step));
        i += 1;
        if (i < pieces) setTimeout(tick, 100);
        else res.end();
      };
      tick();
    });
    // 8 pieces 100 ms apart: ~700 ms in total, over the 400 ms deadline, each gap under the idle bound.
    const doc = await crossGatewayRetrieve(community(peer.url, 400), REQUEST, { bodyIdleTimeoutMs: 400 });
    expect((await collect(doc.body)).equals(pdf)).toBe(true);
  });

  it('releases the upstream connection when the consumer destroys the stream', async () => {
    let closed!: () => void;
    const upstreamClosed = new Promise<void>((resolve) => (closed = resolve));
    peer = await startPeer((_req, res) => {
      res.on('close', () => closed());
      startChunked(res);
    });
    const doc = await crossGatewayRetrieve(community(peer.url, 5000), REQUEST, { bodyIdleTimeoutMs: 60_000 });
    doc.body.once('data', () => doc.body.destroy());
    doc.body.resume();
    await upstreamClosed; // within the test timeout, long before the idle bound
    expect(doc.body.destroyed).toBe(true);
  });

  it('errors the stream when the caller aborts mid-document', async () => {
    peer = await startPeer((_req, res) => startChunked(res));
    const controller = new AbortController();
    const doc = await crossGatewayRetrieve(community(peer.url, 5000), REQUEST, { signal: controller.signal, bodyIdleTimeoutMs: 60_000 });
    setTimeout(() => controller.abort(), 50);
    const err = await rejectionOf(collect(doc.body));
    expect(err).toBeInstanceOf(XcaError);
    expect(err).toMatchObject({ kind: 'timeout' });
  });

  it('rejects with timeout when the caller has already aborted', async () => {
    peer = await startPeer((_req, res) => {
      res.end();
    });
    const err = await rejectionOf(crossGatewayRetrieve(community(peer.url), REQUEST, { signal: AbortSignal.abort() }));
    expect(err).toMatchObject({ kind: 'timeout', message: expect.stringMatching(/cancelled/) });
  });
});
