import { randomBytes } from 'node:crypto';

/**
 * Fresh random bytes (IVs, trace ids) drawn from a 4 KiB pool of CSPRNG output. Every call gets bytes never handed out
 * before: the pool is replaced when spent, never refilled in place, so a returned view stays as it was. One
 * randomBytes call per IV or id cost more than the cipher set-up or the trace handling around it (bench:search).
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/** `length` (at most 4096) fresh random bytes, as a view of the pool: read it, do not write to it. */
export function freshRandomBytes(length: number): Buffer {
  if (!Number.isInteger(length) || length <= 0 || length > POOL_BYTES) throw new RangeError(`length must be 1-${POOL_BYTES}`);
  if (offset + length > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + length);
  offset += length;
  return bytes;
}
