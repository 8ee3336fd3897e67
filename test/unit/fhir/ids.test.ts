import { createHash } from 'node:crypto';
import { FacadeError } from '../../../src/errors/facade-error';
import {
  binaryId,
  communityKey,
  documentReferenceId,
  parseBinaryId,
  parseDocumentReferenceId,
} from '../../../src/fhir/ids';
import { isPureOid, packOid, unpackOid } from '../../../src/fhir/oid-pack';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const KEY = communityKey('urn:oid:1.2.826.0.1285.0.2.0.1');

/** Deterministic PRNG (mulberry32) so a failing property case can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomOid(rand: () => number, maxLength: number): string {
  const arcs = [String(Math.floor(rand() * 3))];
  const wanted = 2 + Math.floor(rand() * 20);
  while (arcs.length < wanted) {
    const digits = 1 + Math.floor(rand() * 12);
    let arc = rand() < 0.15 ? '0' : String(1 + Math.floor(rand() * 9));
    for (let i = 1; i < digits && arc !== '0'; i += 1) arc += String(Math.floor(rand() * 10));
    arcs.push(arc);
  }
  return arcs.join('.').slice(0, maxLength).replace(/\.$/, '') || '1.2';
}

describe('communityKey', () => {
  it('is the first 8 hex characters of SHA-256 of the homeCommunityId', () => {
    const home = 'urn:oid:1.2.3.4';
    expect(communityKey(home)).toBe(createHash('sha256').update(home).digest('hex').slice(0, 8));
    expect(communityKey(home)).toMatch(/^[0-9a-f]{8}$/);
    expect(communityKey('urn:oid:1.2.3.5')).not.toBe(communityKey(home));
  });
});

describe('DocumentReference ids', () => {
  it('carries a urn:uuid entryUUID as 32 hex digits and reads it back', () => {
    const id = documentReferenceId(KEY, 'urn:uuid:6B3E2A1C-0D4F-4E5A-9B7C-1A2B3C4D5E6F');
    expect(id).toBe(`${KEY}-6b3e2a1c0d4f4e5a9b7c1a2b3c4d5e6f`);
    expect(parseDocumentReferenceId(id ?? '')).toEqual({ communityKey: KEY, entryUUID: 'urn:uuid:6b3e2a1c-0d4f-4e5a-9b7c-1a2b3c4d5e6f' });
  });

  it('marks a bare UUID (sent without urn:uuid:) with u, and reads it back without the prefix', () => {
    const id = documentReferenceId(KEY, '018e81dd-ddaf-7d7c-b02c-d8a145ebb0c8');
    expect(id).toBe(`${KEY}-u018e81ddddaf7d7cb02cd8a145ebb0c8`);
    expect(parseDocumentReferenceId(id ?? '')).toEqual({ communityKey: KEY, entryUUID: '018e81dd-ddaf-7d7c-b02c-d8a145ebb0c8' });
  });

  it('hex-encodes an entryUUID that is not a UUID, when it fits', () => {
    const id = documentReferenceId(KEY, 'Document01');
    expect(id).toBe(`${KEY}-x${Buffer.from('Document01').toString('hex')}`);
    expect(parseDocumentReferenceId(id ?? '')).toEqual({ communityKey: KEY, entryUUID: 'Document01' });
    expect(id).toMatch(FHIR_ID);
  });

  it('gives undefined when a non-UUID entryUUID would exceed 64 characters', () => {
    expect(documentReferenceId(KEY, 'x'.repeat(27))).toHaveLength(64);
    expect(documentReferenceId(KEY, 'x'.repeat(28))).toBeUndefined();
    expect(documentReferenceId(KEY, '')).toBeUndefined();
  });

  it.each([
    ['no key', '6b3e2a1c0d4f4e5a9b7c1a2b3c4d5e6f'],
    ['short uuid', `${KEY}-6b3e2a1c`],
    ['upper-case hex', `${KEY}-6B3E2A1C0D4F4E5A9B7C1A2B3C4D5E6F`],
    ['odd hex', `${KEY}-xabc`],
    ['invalid UTF-8', `${KEY}-xff`],
    ['upper-case hex form', `${KEY}-x4A4B`],
    ['a bare UUID id of 31 digits', `${KEY}-u018e81ddddaf7d7cb02cd8a145ebb0c`],
    ['over 64 characters', `${KEY}-x${'61'.repeat(28)}`],
    ['a binary id', `${KEY}.abc.def`],
    ['empty', ''],
  ])('refuses a malformed id (%s) with INVALID_RESOURCE_ID', (_label, id) => {
    expect(() => parseDocumentReferenceId(id)).toThrow(FacadeError);
    try {
      parseDocumentReferenceId(id);
    } catch (err) {
      expect((err as FacadeError).code).toBe('INVALID_RESOURCE_ID');
      expect((err as FacadeError).status).toBe(400);
    }
  });
});

describe('OID packing', () => {
  it('round-trips 3000 random OIDs and keeps leading zeros', () => {
    const rand = prng(20240115);
    for (let i = 0; i < 3000; i += 1) {
      const oid = randomOid(rand, 64);
      expect(isPureOid(oid)).toBe(true);
      const packed = packOid(oid);
      expect(packed).toMatch(/^[0-9A-Za-z]+$/);
      expect(unpackOid(packed)).toBe(oid);
    }
    expect(unpackOid(packOid('1.02.003'))).toBe('1.02.003');
  });

  it('packs a 64-character UID into at most 38 characters', () => {
    expect(packOid(`1.${'9'.repeat(62)}`).length).toBeLessThanOrEqual(38);
  });

  it('refuses what it did not write', () => {
    expect(unpackOid('')).toBeUndefined();
    expect(unpackOid('0abc')).toBeUndefined();
    expect(unpackOid('a-b')).toBeUndefined();
    expect(unpackOid('1')).toBeUndefined();
    expect(() => packOid('urn:oid:1.2.3')).toThrow(RangeError);
  });
});

describe('Binary ids', () => {
  it('round-trips random repository and document OIDs whenever the id fits in 64 characters', () => {
    const rand = prng(42);
    let direct = 0;
    for (let i = 0; i < 3000; i += 1) {
      const parts = { communityKey: KEY, repositoryUniqueId: randomOid(rand, 30), documentUniqueId: randomOid(rand, 64) };
      const id = binaryId(parts);
      if (id === undefined) continue;
      direct += 1;
      expect(id).toMatch(FHIR_ID);
      expect(parseBinaryId(id)).toEqual({ kind: 'direct', ...parts });
    }
    expect(direct).toBeGreaterThan(1000);
  });

  it('gives undefined over 64 characters or for ids that are not pure OIDs', () => {
    const long = `1.2.${'7'.repeat(60)}`;
    expect(binaryId({ communityKey: KEY, repositoryUniqueId: long, documentUniqueId: long })).toBeUndefined();
    expect(binaryId({ communityKey: KEY, repositoryUniqueId: 'urn:oid:1.2.3', documentUniqueId: '1.2.4' })).toBeUndefined();
    expect(binaryId({ communityKey: KEY, repositoryUniqueId: '1.2.3', documentUniqueId: '1.2.4^ext' })).toBeUndefined();
  });

  it('reads a DocumentReference id as the entry form', () => {
    const id = documentReferenceId(KEY, 'urn:uuid:0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0') ?? '';
    expect(parseBinaryId(id)).toEqual({ kind: 'entry', communityKey: KEY, entryUUID: 'urn:uuid:0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0' });
  });

  it.each([['', 'empty'], [`${KEY}.0abc.def`, 'non-canonical packing'], [`${KEY}.abc`, 'one part'], ['x'.repeat(65), 'too long'], [`${KEY}.ab$.cd`, 'bad characters']])(
    'refuses %p (%s) with INVALID_RESOURCE_ID',
    (id) => {
      expect(() => parseBinaryId(id)).toThrow(expect.objectContaining({ code: 'INVALID_RESOURCE_ID' }) as Error);
    },
  );
});
