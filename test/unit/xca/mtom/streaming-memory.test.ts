/**
 * Streaming proof: a ~200 MB attachment, generated on the fly (never held in memory), flows through readMtom to
 * a hashing sink with the right SHA-256 while memory stays flat; and a slow consumer holds the source back.
 */
import crypto from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { readMtom } from '../../../../src/xca/mtom';

const BOUNDARY = 'MIMEBoundary_urn_uuid_3D4B161591CD1DEC0C1286850962202';
const MiB = 1024 * 1024;

/** 1 MiB of random bytes seeded with boundary look-alikes, so the fast path meets near-misses at every offset. */
function makeBlock(): Buffer {
  const block = crypto.randomBytes(MiB);
  const lookalikes = [`\r\n--${BOUNDARY.slice(0, -1)}`, `\n--${BOUNDARY}X`, `\r\n--${BOUNDARY} x`, `--${BOUNDARY}\r\n`];
  lookalikes.forEach((text, i) => block.write(text, 1000 + i * 250_000, 'latin1'));
  return block;
}

const HEAD = Buffer.from(
  `--${BOUNDARY}\r\nContent-ID: <root@x>\r\nContent-Type: application/xop+xml; type="application/soap+xml"\r\n\r\n<Envelope/>` +
    `\r\n--${BOUNDARY}\r\nContent-ID: <doc@x>\r\nContent-Type: application/dicom\r\nContent-Transfer-Encoding: binary\r\n\r\n`,
);
const TAIL = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
/** Uneven chunk sizes so look-alikes and the real delimiter straddle chunk borders in many ways. */
const CHUNK_SIZES = [65_536, 16_391, 100_003, 4_093, 65_537];

/**
 * A body of HEAD, `total` bytes of block content, TAIL: a byte-mode Readable (as an undici body is) over a
 * generator, so each chunk is made only when the stream is read. `produced` counts content bytes made so far.
 */
class GeneratedBody {
  produced = 0;
  readonly stream: Readable;

  constructor(
    private readonly block: Buffer,
    private readonly total: number,
    private readonly onChunk: () => void = () => undefined,
  ) {
    this.stream = Readable.from(this.chunks(), { objectMode: false, highWaterMark: 64 * 1024 });
  }

  private *chunks(): Generator<Buffer> {
    yield HEAD;
    for (let turn = 0; this.produced < this.total; turn += 1) {
      const offset = this.produced % this.block.length;
      const size = Math.min(CHUNK_SIZES[turn % CHUNK_SIZES.length] as number, this.block.length - offset, this.total - this.produced);
      this.produced += size;
      this.onChunk();
      yield this.block.subarray(offset, offset + size);
    }
    yield TAIL;
  }
}

function expectedDigest(block: Buffer, blocks: number): string {
  const hash = crypto.createHash('sha256');
  for (let i = 0; i < blocks; i += 1) hash.update(block);
  return hash.digest('hex');
}

describe('readMtom streaming', () => {
  it('streams a 200 MB attachment to a hash with flat memory', async () => {
    const block = makeBlock();
    const blocks = 200;
    const expected = expectedDigest(block, blocks);
    const baseline = process.memoryUsage();
    let peakRss = baseline.rss;
    let peakHeapAndBuffers = baseline.heapUsed + baseline.arrayBuffers;
    let chunks = 0;
    const body = new GeneratedBody(block, blocks * MiB, () => {
      if (++chunks % 64 !== 0) return;
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss);
      peakHeapAndBuffers = Math.max(peakHeapAndBuffers, now.heapUsed + now.arrayBuffers);
    });

    const message = await readMtom(body.stream, `multipart/related; boundary="${BOUNDARY}"; type="application/xop+xml"; start="<root@x>"`);
    const hash = crypto.createHash('sha256');
    let received = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback): void {
        received += chunk.length;
        hash.update(chunk);
        callback();
      },
    });
    await pipeline(message.attachment('cid:doc@x'), sink);
    await message.done;

    expect(received).toBe(blocks * MiB);
    expect(hash.digest('hex')).toBe(expected);
    expect(chunks).toBeGreaterThan(1000);
    expect(peakRss - baseline.rss).toBeLessThan(64 * MiB);
    expect(peakHeapAndBuffers - (baseline.heapUsed + baseline.arrayBuffers)).toBeLessThan(64 * MiB);
  }, 20_000);

  it('reads the source no faster than a slow consumer drains the attachment', async () => {
    const block = makeBlock();
    const body = new GeneratedBody(block, 32 * MiB);
    const message = await readMtom(body.stream, `multipart/related; boundary=${BOUNDARY}`);
    let consumed = 0;
    let maxAhead = 0;
    let writes = 0;
    const slowSink = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, callback): void {
        consumed += chunk.length;
        maxAhead = Math.max(maxAhead, body.produced - consumed);
        // Every 16th write waits a timer turn: the consumer is slower than the source could go.
        if (++writes % 16 === 0) setTimeout(callback, 1);
        else setImmediate(callback);
      },
    });
    await pipeline(message.attachment('doc@x'), slowSink);
    expect(consumed).toBe(32 * MiB);
    // Window + Readable buffer + Writable buffer: a few chunks, never the megabytes an eager reader would pile up.
    expect(maxAhead).toBeLessThan(MiB);
  });
});
