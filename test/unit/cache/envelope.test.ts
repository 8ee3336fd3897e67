import { randomBytes } from 'node:crypto';
import { openEntry, sealEntry } from '../../../src/cache/envelope';

const value = { total: 1, entry: [{ subject: '9000000009', title: 'CT head without contrast' }] };

describe('cache entry encryption (AES-256-GCM, key name as AAD)', () => {
  const key = randomBytes(32);
  const name = 'mxf:search:' + 'ab'.repeat(32);

  it('round-trips JSON and stores version | iv | tag | ciphertext', () => {
    const sealed = sealEntry(key, name, value);
    expect(sealed[0]).toBe(1);
    expect(sealed.length).toBe(1 + 12 + 16 + Buffer.byteLength(JSON.stringify(value)));
    expect(openEntry(key, name, sealed)).toEqual({ ok: true, value });
  });

  it('never shows the plaintext and uses a fresh IV each time', () => {
    const a = sealEntry(key, name, value);
    const b = sealEntry(key, name, value);
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(1, 13).equals(b.subarray(1, 13))).toBe(false);
    expect(a.toString('latin1')).not.toContain('9000000009');
    expect(a.toString('latin1')).not.toContain('CT head');
  });

  it('fails when any byte is flipped (version, IV, tag or ciphertext)', () => {
    const sealed = sealEntry(key, name, value);
    for (const index of [0, 1, 12, 13, 28, 29, sealed.length - 1]) {
      const tampered = Buffer.from(sealed);
      tampered[index] = (tampered[index] as number) ^ 0x01;
      expect(openEntry(key, name, tampered)).toEqual({ ok: false });
    }
  });

  it('fails under another key name (an entry moved to another key)', () => {
    expect(openEntry(key, `${name}0`, sealEntry(key, name, value))).toEqual({ ok: false });
  });

  it('fails with another encryption key, and on truncated or foreign bytes', () => {
    const sealed = sealEntry(key, name, value);
    expect(openEntry(randomBytes(32), name, sealed)).toEqual({ ok: false });
    expect(openEntry(key, name, sealed.subarray(0, 29))).toEqual({ ok: false });
    expect(openEntry(key, name, Buffer.from(JSON.stringify(value)))).toEqual({ ok: false });
    expect(openEntry(key, name, Buffer.alloc(0))).toEqual({ ok: false });
  });

  it('refuses values that are not JSON', () => {
    expect(() => sealEntry(key, name, undefined)).toThrow(TypeError);
    expect(() => sealEntry(key, name, { n: 1n })).toThrow(TypeError);
  });
});
