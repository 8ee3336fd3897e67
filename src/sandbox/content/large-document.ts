import { createCipheriv, createHash } from 'node:crypto';
import { Readable } from 'node:stream';

/**
 * The sandbox's large document (patient 9000000076): a valid PDF 1.4 of exactly `bytes` bytes, computed on the
 * fly and never stored or held in memory. One page says what the file is; the bulk is an unused stream object
 * filled with a pseudo-random keystream (AES-256-CTR over zeros, keyed by SHA-256 of the document's key), so the
 * same key and size always give the same bytes. Numbers whose width would depend on the size (the stream
 * /Length, the xref offsets, startxref) are written with a fixed width (leading zeros are valid PDF integers,
 * ISO 32000-1 7.3.3), so head and tail have a fixed length and the filler is simply what is left.
 *
 * Cost: the SHA-1 of the metadata needs one full pass; on a 2-core test machine that is about 0.4 s for the
 * default 256 MiB and 1.7 s for 1 GiB. digest() computes it once per (key, size), yielding to the event loop
 * every few MiB, and caches the result for the life of the process.
 */
export const DEFAULT_LARGE_DOCUMENT_BYTES = 256 * 1024 * 1024;
/** Smallest size the PDF wrapper fits in, with room to spare. */
export const MIN_LARGE_DOCUMENT_BYTES = 4096;
/** Largest size accepted (the 12-digit fixed-width numbers would allow far more). */
export const MAX_LARGE_DOCUMENT_BYTES = 64 * 1024 * 1024 * 1024;

const CHUNK_BYTES = 256 * 1024;
/** digest() yields to the event loop after this many bytes, so other requests are answered meanwhile. */
const YIELD_EVERY_BYTES = 8 * 1024 * 1024;
const ZEROS = Buffer.alloc(CHUNK_BYTES);

/** What the metadata says about a generated document: ITI TF-3 4.2.3.2.19 size, 4.2.3.2.12 hash (hex SHA-1). */
export interface ContentDigest {
  readonly size: number;
  readonly sha1: string;
}

const fixed = (n: number): string => String(n).padStart(12, '0');
const xrefEntry = (offset: number): string => `${String(offset).padStart(10, '0')} 00000 n \n`;

interface Layout {
  readonly head: Buffer;
  readonly fillerBytes: number;
  readonly tail: Buffer;
}

function pageObjects(bytes: number): string[] {
  const text = [`(Sandbox large document: ${bytes} bytes, generated on the fly for streaming tests.) Tj`, 'T*', '(SYNTHETIC TEST DOCUMENT - not a real patient.) Tj'];
  const content = `BT\n/F1 12 Tf\n72 780 Td\n16 TL\n${text.join('\n')}\nET\n`;
  return [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${content.length} >>\nstream\n${content}endstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
}

/** Head (objects 1-5 and the opening of the filler stream object 6) and tail (its end, xref, trailer). */
function layout(bytes: number): Layout {
  // The filler length appears in the head; its fixed width makes the head's length independent of its value.
  const build = (filler: number): Layout => {
    let head = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
    const offsets: number[] = [];
    pageObjects(bytes).forEach((body, i) => {
      offsets.push(head.length);
      head += `${i + 1} 0 obj\n${body}\nendobj\n`;
    });
    offsets.push(head.length);
    head += `6 0 obj\n<< /Length ${fixed(filler)} >>\nstream\n`;
    const end = '\nendstream\nendobj\n';
    const xref = head.length + filler + end.length;
    const tail = `${end}xref\n0 7\n0000000000 65535 f \n${offsets.map(xrefEntry).join('')}trailer\n<< /Size 7 /Root 1 0 R >>\nstartxref\n${fixed(xref)}\n%%EOF\n`;
    return { head: Buffer.from(head, 'latin1'), fillerBytes: filler, tail: Buffer.from(tail, 'latin1') };
  };
  const probe = build(0);
  return build(bytes - probe.head.length - probe.tail.length);
}

/** One generated document: its bytes as chunks, as a stream, and their digest. */
export class LargeDocument {
  private readonly layout: Layout;

  constructor(
    private readonly key: string,
    readonly size: number,
  ) {
    if (!Number.isSafeInteger(size) || size < MIN_LARGE_DOCUMENT_BYTES || size > MAX_LARGE_DOCUMENT_BYTES) {
      throw new RangeError(`a generated document must be ${MIN_LARGE_DOCUMENT_BYTES} to ${MAX_LARGE_DOCUMENT_BYTES} bytes, got ${size}`);
    }
    this.layout = layout(size);
  }

  /** The bytes, in order, as chunks of at most 256 KiB (each one freshly computed). */
  *chunks(): Generator<Buffer> {
    yield this.layout.head;
    const cipher = createCipheriv('aes-256-ctr', createHash('sha256').update(`mhd-xca-facade sandbox large document ${this.key}`).digest(), Buffer.alloc(16));
    for (let left = this.layout.fillerBytes; left > 0; left -= CHUNK_BYTES) {
      yield cipher.update(left >= CHUNK_BYTES ? ZEROS : ZEROS.subarray(0, left));
    }
    yield this.layout.tail;
  }

  /** A byte stream of the document; it computes each chunk only when the consumer asks (back-pressure). */
  open(): Readable {
    return Readable.from(this.chunks(), { objectMode: false, highWaterMark: CHUNK_BYTES });
  }

  /** Size and SHA-1, computed once per (key, size) in this process. */
  digest(): Promise<ContentDigest> {
    const cacheKey = `${this.key}\u0000${this.size}`;
    let cached = digests.get(cacheKey);
    if (cached === undefined) {
      cached = computeDigest(this.chunks());
      digests.set(cacheKey, cached);
      cached.catch(() => digests.delete(cacheKey));
    }
    return cached;
  }
}

const digests = new Map<string, Promise<ContentDigest>>();

async function computeDigest(chunks: Iterable<Buffer>): Promise<ContentDigest> {
  const sha1 = createHash('sha1');
  let size = 0;
  let sinceYield = 0;
  for (const chunk of chunks) {
    sha1.update(chunk);
    size += chunk.length;
    sinceYield += chunk.length;
    if (sinceYield >= YIELD_EVERY_BYTES) {
      sinceYield = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return { size, sha1: sha1.digest('hex') };
}
