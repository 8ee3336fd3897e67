import { freshRandomBytes } from '../../../src/security/random-pool';

describe('freshRandomBytes', () => {
  test('gives the length asked for, and no two calls the same bytes', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i += 1) {
      const bytes = freshRandomBytes(12);
      expect(bytes).toHaveLength(12);
      seen.add(bytes.toString('hex'));
    }
    expect(seen.size).toBe(2_000);
  });

  test('bytes handed out stay as they were after the pool is spent and replaced', () => {
    const first = freshRandomBytes(16);
    const copy = Buffer.from(first);
    for (let i = 0; i < 600; i += 1) freshRandomBytes(16); // more than one 4 KiB pool
    expect(first.equals(copy)).toBe(true);
  });

  test('refuses a length it cannot serve from one pool', () => {
    expect(() => freshRandomBytes(0)).toThrow(RangeError);
    expect(() => freshRandomBytes(4097)).toThrow(RangeError);
    expect(() => freshRandomBytes(1.5)).toThrow(RangeError);
  });
});
