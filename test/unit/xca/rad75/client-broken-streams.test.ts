import type http from 'node:http';
import { XcaError } from '../../../../src/xca/errors';
import { crossGatewayRetrieveImaging } from '../../../../src/xca/rad75';
import { startPeer, type Peer } from '../support/http-peer';
import {
  collect, community, dicomLike, imagingPackage, imagingXml, mtomContentType, rejectionOf, sha256, STUDY_REQUEST, STUDY_UIDS,
} from './kit';

const files = STUDY_UIDS.map((uid) => [uid, dicomLike(256 * 1024)] as const);
const whole = imagingPackage(imagingXml(STUDY_UIDS.map((uid) => ({ uid }))), files);
/** Where instance `i` starts in the package (its preamble is zeros like every other: look past it). */
const startOf = (i: number): number => whole.indexOf(files[i]![1].subarray(128, 1128)) - 128;
/** Everything up to the middle of the second instance. */
const toMiddleOfSecond = whole.subarray(0, startOf(1) + 128 * 1024);

/** An upstream that breaks, stalls or is cut off, and a consumer that goes away. */
describe('crossGatewayRetrieveImaging (broken streams)', () => {
  let peer: Peer | undefined;
  afterEach(async () => {
    await peer?.close();
    peer = undefined;
  });

  /** Send everything up to the middle of the second instance; `then` runs once it has all been handed to the socket. */
  function startCut(res: http.ServerResponse, then: () => void = () => undefined): void {
    res.writeHead(200, { 'content-type': mtomContentType(), 'transfer-encoding': 'chunked' });
    res.write(toMiddleOfSecond, () => then());
  }

  it('the server dying in the middle of the second instance errors that instance, and the sequence after it', async () => {
    peer = await startPeer((_req, res) => {
      startCut(res, () => setTimeout(() => res.socket?.destroy(), 50));
    });
    const iterator = (await crossGatewayRetrieveImaging(community(peer.url), STUDY_REQUEST)).instances[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done !== true && sha256(await collect(first.value.body))).toBe(sha256(files[0]![1]));
    const second = await iterator.next();
    if (second.done === true) throw new Error('the second instance was not yielded');
    expect(second.value.documentUniqueId).toBe(STUDY_UIDS[1]);
    const err = await rejectionOf(collect(second.value.body));
    expect(err).toBeInstanceOf(XcaError);
    expect(err).toMatchObject({ kind: 'network' });
    expect(await rejectionOf(iterator.next())).toBe(err);
  });

  it('a body ending cleanly before the close delimiter is an error, never a short instance', async () => {
    peer = await startPeer((_req, res) => {
      startCut(res, () => setTimeout(() => res.end(), 50));
    });
    const retrieval = await crossGatewayRetrieveImaging(community(peer.url), STUDY_REQUEST);
    const outcomes: string[] = [];
    const err = await rejectionOf(
      (async () => {
        for await (const instance of retrieval.instances) outcomes.push(await collect(instance.body).then(() => 'whole', (e: unknown) => Promise.reject(e)));
      })(),
    );
    expect(outcomes).toEqual(['whole']);
    expect(err).toMatchObject({ kind: 'unparseable', message: expect.stringMatching(/cut short/) });
  });

  it('a stall before the first byte of the next instance is bounded by bodyIdleTimeoutMs', async () => {
    peer = await startPeer((_req, res) => {
      res.writeHead(200, { 'content-type': mtomContentType() });
      res.write(whole.subarray(0, startOf(1))); // the second part's headers, then silence
    });
    const iterator = (await crossGatewayRetrieveImaging(community(peer.url, 5000), STUDY_REQUEST, { bodyIdleTimeoutMs: 300 })).instances[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done !== true && sha256(await collect(first.value.body))).toBe(sha256(files[0]![1]));
    const started = Date.now();
    expect(await rejectionOf(iterator.next())).toMatchObject({ kind: 'timeout', message: expect.stringMatching(/no document bytes for 300 ms/) });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a stall inside an instance errors its body (idle timeout), and the sequence after it', async () => {
    peer = await startPeer((_req, res) => {
      res.writeHead(200, { 'content-type': mtomContentType() });
      res.write(whole.subarray(0, startOf(0) + 1000)); // then silence
    });
    const iterator = (await crossGatewayRetrieveImaging(community(peer.url, 5000), STUDY_REQUEST, { bodyIdleTimeoutMs: 300 })).instances[Symbol.asyncIterator]();
    const first = await iterator.next();
    const err = await rejectionOf(first.done === true ? Promise.resolve() : collect(first.value.body));
    expect(err).toMatchObject({ kind: 'timeout', message: expect.stringMatching(/no document bytes for 300 ms/) });
    expect(await rejectionOf(iterator.next())).toBe(err);
  });

  it('a consumer destroying an instance early stops the retrieval and releases the connection', async () => {
    let closed!: () => void;
    const upstreamClosed = new Promise<void>((resolve) => (closed = resolve));
    peer = await startPeer((_req, res) => {
      res.on('close', () => closed());
      startCut(res); // and keep the connection open
    });
    const retrieval = await crossGatewayRetrieveImaging(community(peer.url, 5000), STUDY_REQUEST, { bodyIdleTimeoutMs: 60_000 });
    const iterator = retrieval.instances[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done === true) throw new Error('no instance');
    first.value.body.once('data', () => first.value.body.destroy());
    first.value.body.resume();
    await upstreamClosed; // long before any idle bound
    expect(first.value.body.destroyed).toBe(true);
    expect(await rejectionOf(iterator.next())).toMatchObject({ kind: 'timeout', message: expect.stringMatching(/abandoned/) });
  });

  it('leaving the loop early releases the connection', async () => {
    let closed!: () => void;
    const upstreamClosed = new Promise<void>((resolve) => (closed = resolve));
    peer = await startPeer((_req, res) => {
      res.on('close', () => closed());
      startCut(res);
    });
    const retrieval = await crossGatewayRetrieveImaging(community(peer.url, 5000), STUDY_REQUEST, { bodyIdleTimeoutMs: 60_000 });
    for await (const instance of retrieval.instances) {
      await collect(instance.body);
      break;
    }
    await upstreamClosed;
  });

  it('the caller aborting mid-instance errors the body (timeout) and releases the connection', async () => {
    let closed!: () => void;
    const upstreamClosed = new Promise<void>((resolve) => (closed = resolve));
    peer = await startPeer((_req, res) => {
      res.on('close', () => closed());
      startCut(res);
    });
    const controller = new AbortController();
    const retrieval = await crossGatewayRetrieveImaging(community(peer.url, 5000), STUDY_REQUEST, { signal: controller.signal, bodyIdleTimeoutMs: 60_000 });
    const iterator = retrieval.instances[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done !== true) await collect(first.value.body);
    const second = await iterator.next();
    setTimeout(() => controller.abort(), 50);
    const err = await rejectionOf(second.done === true ? Promise.resolve() : collect(second.value.body));
    expect(err).toMatchObject({ kind: 'timeout' });
    await upstreamClosed;
  });

  it('retrieval.abort() errors the open body and every later next()', async () => {
    peer = await startPeer((_req, res) => startCut(res));
    const retrieval = await crossGatewayRetrieveImaging(community(peer.url, 5000), STUDY_REQUEST, { bodyIdleTimeoutMs: 60_000 });
    const iterator = retrieval.instances[Symbol.asyncIterator]();
    const first = await iterator.next();
    retrieval.abort();
    if (first.done !== true) expect(await rejectionOf(collect(first.value.body))).toMatchObject({ kind: 'timeout', message: expect.stringMatching(/cancelled by its caller/) });
    expect(await rejectionOf(iterator.next())).toMatchObject({ kind: 'timeout' });
  });
});
