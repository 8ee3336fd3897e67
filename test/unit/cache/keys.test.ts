import { randomBytes } from 'node:crypto';
import { deriveEntryKey, deriveLockKey } from '../../../src/cache/keys';

const NHS = '9000000009';
const material = `DocumentReference?patient.identifier=https://fhir.nhs.uk/Id/nhs-number|${NHS}&status=current`;

describe('cache key derivation', () => {
  const secret = randomBytes(32);

  it('has the shape prefix + namespace + ":" + 64 hex digits, with no trace of the key material', () => {
    const key = deriveEntryKey('mxf:', secret, 'search', material);
    expect(key).toMatch(/^mxf:search:[0-9a-f]{64}$/);
    expect(key).not.toContain(NHS);
    expect(key).not.toContain('nhs-number');
  });

  it('is deterministic for the same secret and input (every replica finds the same entry)', () => {
    expect(deriveEntryKey('mxf:', secret, 'search', material)).toBe(deriveEntryKey('mxf:', Buffer.from(secret), 'search', material));
  });

  it('changes with the secret, the namespace and the key material', () => {
    const key = deriveEntryKey('mxf:', secret, 'search', material);
    expect(deriveEntryKey('mxf:', randomBytes(32), 'search', material)).not.toBe(key);
    expect(deriveEntryKey('mxf:', secret, 'read', material).split(':')[2]).not.toBe(key.split(':')[2]);
    expect(deriveEntryKey('mxf:', secret, 'search', `${material}x`)).not.toBe(key);
  });

  it('separates namespace from key material (no ambiguity from concatenation)', () => {
    expect(deriveEntryKey('p:', secret, 'ab', 'c').split(':')[2]).not.toBe(deriveEntryKey('p:', secret, 'a', 'bc').split(':')[2]);
  });

  it('derives an opaque lock key distinct from the entry key', () => {
    const lock = deriveLockKey('mxf:', secret, 'search', material);
    expect(lock).toMatch(/^mxf:search:lock:[0-9a-f]{64}$/);
    expect(lock).not.toContain(NHS);
    expect(lock.split(':')[3]).not.toBe(deriveEntryKey('mxf:', secret, 'search', material).split(':')[2]);
  });

  it('refuses a namespace that could change the key shape or carry data', () => {
    expect(() => deriveEntryKey('mxf:', secret, 'a:b', material)).toThrow(RangeError);
    expect(() => deriveEntryKey('mxf:', secret, '', material)).toThrow(RangeError);
    expect(() => deriveLockKey('mxf:', secret, NHS.padEnd(65, '0'), material)).toThrow(RangeError);
  });
});
