import crypto from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import type http from 'node:http';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crossGatewayRetrieve } from '../../../../src/xca/iti39';
import { startPeer, type Peer } from '../support/http-peer';
import { BOUNDARY, community, mtomContentType, PDF_DOC, REQUEST, retrieveXml } from './kit';

const MiB = 1024 * 1024;
const DOC_MIB = 100;

/** 1 MiB block with boundary look-alikes, repeated to make the document: generated as it is sent. */
function makeBlock(): Buffer {
  const block = crypto.randomBytes(MiB);
  [`\r\n--${BOUNDARY.slice(0, -1)}`, `\n--${BOUNDARY}X`, '\r\n--\r\n'].forEach((text, i) => block.write(text, 5000 + i * 300_000, 'latin1'));
  return block;
}

/**
 * A full garbage collection, so RSS shows what is retained rather than how far the collector lags: every 64 KB
 * socket read leaves a garbage Buffer, and V8 collects external memory only every few tens of MB.
 */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** Document bytes the server has handed to its socket so far. */
let produced = 0;

/** Write the package with back-pressure: never more than the socket accepts. */
async function writePackage(res: http.ServerResponse, block: Buffer, mib: number): Promise<void> {
  produced = 0;
  const head =
    `--${BOUNDARY}\r\nContent-ID: <root.message@gateway.example>\r\nContent-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"\r\n\r\n` +
    `${retrieveXml([{ ...PDF_DOC, cid: 'big@x' }])}\r\n--${BOUNDARY}\r\nContent-ID: <big@x>\r\nContent-Type: application/pdf\r\n\r\n`;
  res.writeHead(200, { 'content-type': mtomContentType() });
  const write = async (chunk: Buffer | string): Promise<void> => {
    if (!res.write(chunk)) await new Promise<void>((resolve) => res.once('drain', () => resolve()));
  };
  await write(head);
  for (let i = 0; i < mib; i += 1) {
    // Uneven slices, so delimiter look-alikes straddle chunk borders.
    await write(block.subarray(0, 100_003));
    produced += 100_003;
    await write(block.subarray(100_003));
    produced += MiB - 100_003;
  }
  res.end(`\r\n--${BOUNDARY}--\r\n`);
}

describe('crossGatewayRetrieve streaming', () => {
  let peer: Peer | undefined;
  afterEach(async () => {
    await peer?.close();
    peer = undefined;
  });

  it(`streams a ${DOC_MIB} MB document end to end with bounded memory`, async () => {
    const block = makeBlock();
    const expected = crypto.createHash('sha256');
    for (let i = 0; i < DOC_MIB; i += 1) expected.update(block);
    let documents = 0;
    peer = await startPeer((_req, res) => writePackage(res, block, documents++ === 0 ? 1 : DOC_MIB));
    // Warm-up with a 1 MB document: undici's parser (WebAssembly), sockets and JIT cost memory once, not per byte.
    await pipeline((await crossGatewayRetrieve(community(peer.url, 5000), REQUEST)).body, new Writable({ write: (_c, _e, cb) => cb() }));

    collectGarbage();
    const baseline = process.memoryUsage().rss;
    let peakRss = baseline;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 5);
    const doc = await crossGatewayRetrieve(community(peer.url, 5000), REQUEST);
    const hash = crypto.createHash('sha256');
    let received = 0;
    let maxAhead = 0;
    await pipeline(
      doc.body,
      new Writable({
        write(chunk: Buffer, _enc, callback): void {
          received += chunk.length;
          maxAhead = Math.max(maxAhead, produced - received);
          if (received % (8 * MiB) < chunk.length) collectGarbage();
          hash.update(chunk);
          peakRss = Math.max(peakRss, process.memoryUsage().rss);
          callback();
        },
      }),
    );
    clearInterval(sampler);

    expect(doc.mimeType).toBe('application/pdf');
    expect(received).toBe(DOC_MIB * MiB);
    expect(hash.digest('hex')).toBe(expected.digest('hex'));
    // Streaming, not buffering: the sender is never more than socket buffers and a few chunks ahead...
    expect(maxAhead).toBeLessThan(8 * MiB);
    // ...and memory does not grow with the document (sender and receiver both live in this process).
    expect(peakRss - baseline).toBeLessThan(64 * MiB);
  }, 60_000);
});
