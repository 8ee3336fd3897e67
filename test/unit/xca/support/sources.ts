import fs from 'node:fs';
import path from 'node:path';

/** Test helpers: feed a document to a streaming parser in different chunkings. */

export const FIXTURES = path.resolve(__dirname, '../../../fixtures/xca');

/** A handwritten fixture's bytes. */
export function fixture(name: string): Buffer {
  return fs.readFileSync(path.join(FIXTURES, name));
}

/** The whole document as one chunk. */
export async function* whole(data: Buffer | string): AsyncGenerator<Buffer | string> {
  yield data;
}

/** The document cut into pieces of the given sizes (cycled). */
export async function* chunked(data: Buffer, sizes: readonly number[]): AsyncGenerator<Buffer> {
  let i = 0;
  for (let offset = 0; offset < data.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length] ?? 1);
    yield data.subarray(offset, offset + size);
    offset += size;
  }
}

/** Deterministic pseudo-random chunk sizes (mulberry32), so a failure can be replayed. */
export function randomSizes(seed: number, count: number, max: number): number[] {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, () => 1 + Math.floor(next() * max));
}
