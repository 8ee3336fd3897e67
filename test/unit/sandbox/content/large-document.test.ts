import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LargeDocument, MIN_LARGE_DOCUMENT_BYTES } from '../../../../src/sandbox/content/large-document';
import { pdfProblems } from './pdf-structure';

/** The generated large document: exact size, deterministic bytes, a well-formed PDF, a digest that matches its stream. */
async function read(doc: LargeDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of doc.open()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('LargeDocument', () => {
  it.each([MIN_LARGE_DOCUMENT_BYTES, 100_000, 1_048_577])('has exactly %d bytes and is a well-formed PDF', async (size) => {
    const bytes = await read(new LargeDocument('2.999.1', size));
    expect(bytes.length).toBe(size);
    expect(pdfProblems(bytes)).toEqual([]);
  });

  it('is the same for the same key and size, different for another key', async () => {
    const [a, again, other] = await Promise.all([read(new LargeDocument('k', 65_536)), read(new LargeDocument('k', 65_536)), read(new LargeDocument('j', 65_536))]);
    expect(a.equals(again)).toBe(true);
    expect(a.equals(other)).toBe(false);
    // The filler is a keystream, not a repeated pattern: it does not compress to nothing.
    expect(new Set(a.subarray(2000, 6000)).size).toBeGreaterThan(200);
  });

  it('digest() is the size and SHA-1 of what open() streams, and is computed once', async () => {
    const doc = new LargeDocument('digest', 3 * 1024 * 1024 + 5);
    const hash = createHash('sha1');
    let size = 0;
    await pipeline(
      doc.open(),
      new Writable({
        write(chunk: Buffer, _enc, cb) {
          hash.update(chunk);
          size += chunk.length;
          cb();
        },
      }),
    );
    expect(await doc.digest()).toEqual({ size, sha1: hash.digest('hex') });
    expect(new LargeDocument('digest', 3 * 1024 * 1024 + 5).digest()).toBe(doc.digest());
  });

  it('streams with back-pressure: a paused reader leaves at most a buffer-full computed, not the document', async () => {
    const stream = new LargeDocument('lazy', 64 * 1024 * 1024).open();
    const first = await new Promise<Buffer>((resolve) => stream.once('data', resolve));
    stream.pause();
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(first.length).toBeGreaterThan(0);
    expect(stream.readableLength).toBeLessThanOrEqual(2 * 256 * 1024);
    stream.destroy();
  });

  it('refuses sizes it cannot hold', () => {
    expect(() => new LargeDocument('x', MIN_LARGE_DOCUMENT_BYTES - 1)).toThrow(RangeError);
    expect(() => new LargeDocument('x', 1.5e6 + 0.5)).toThrow(RangeError);
  });
});
