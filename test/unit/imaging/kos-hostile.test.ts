import zlib from 'node:zlib';
import { KosError, parseKosManifest, type KosErrorReason } from '../../../src/imaging/kos';
import { convertedKos, element, itemTag, makeTmp, part10, removeTmp, seedKosBytes, ui, UNDEFINED_LENGTH } from './dicom-fixtures';

/** What parseKosManifest made of hostile bytes: 'parsed', or the KosError reason. Anything else fails the test. */
function outcome(bytes: Uint8Array, maxBytes?: number): 'parsed' | KosErrorReason {
  try {
    parseKosManifest(bytes, maxBytes === undefined ? undefined : { maxBytes });
    return 'parsed';
  } catch (err) {
    if (err instanceof KosError) return err.reason;
    throw new Error(`not a KosError: ${String(err)}`);
  }
}

/** mulberry32: a small seeded PRNG, so a failing fuzz case can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KOS = '1.2.840.10008.5.1.4.1.1.88.59';
const kosHeader = Buffer.concat([element(0x0008, 0x0016, 'UI', ui(KOS)), element(0x0008, 0x0018, 'UI', ui('2.999.9.1'))]);
/** The first bytes of the Current Requested Procedure Evidence Sequence (0040,A375) SQ, explicit VR little endian. */
const EVIDENCE_TAG = Buffer.from([0x40, 0x00, 0x75, 0xa3, 0x53, 0x51]);

let tmp: string;
beforeAll(() => {
  tmp = makeTmp('kos-hostile');
});
afterAll(() => removeTmp(tmp));

describe('parseKosManifest on hostile input: a KosError, never a crash or a hang', () => {
  it.each<[string, Buffer]>([
    ['nothing', Buffer.alloc(0)],
    ['text', Buffer.from('this is not a DICOM file at all, it is a sentence', 'latin1')],
    ['a PDF', Buffer.from('%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\n' + ' '.repeat(200), 'latin1')],
    ['a bare data set without preamble', kosHeader],
    ['200 random bytes', Buffer.from(Array.from({ length: 200 }, (_u, i) => (i * 7919) % 251))],
    ['DICM at the wrong place', Buffer.concat([Buffer.from('DICM', 'latin1'), Buffer.alloc(200)])],
  ])('%s is not-dicom', (_label, bytes) => {
    expect(outcome(bytes)).toBe('not-dicom');
  });

  it('the seed KOS cut at every length is refused; cuts inside the evidence are truncated', () => {
    const kos = seedKosBytes();
    const start = kos.indexOf(EVIDENCE_TAG);
    const end = start + 12 + kos.readUInt32LE(start + 8);
    expect(start).toBeGreaterThan(132);
    const seen = new Map<string, number>();
    for (let cut = 0; cut < kos.length; cut++) {
      const result = outcome(kos.subarray(0, cut));
      seen.set(result, (seen.get(result) ?? 0) + 1);
      if (cut < 132) expect(result).toBe('not-dicom');
      if (cut > start + 1 && cut < end) expect([cut, result]).toEqual([cut, 'truncated']);
      // Cut after the evidence, at an element boundary, the rest is optional: it may parse.
      if (cut <= start) expect([cut, result === 'parsed']).toEqual([cut, false]);
    }
    expect(seen.get('truncated')).toBeGreaterThan(kos.length / 2);
  });

  it('the undefined-length encoding cut inside the evidence is truncated too (sequences that never end)', () => {
    const kos = convertedKos(tmp, 'undefined-lengths', ['+te', '-e']);
    const start = kos.indexOf(EVIDENCE_TAG);
    const ends = kos.indexOf(Buffer.from([0x40, 0x00, 0x04, 0xa5]), start); // (0040,A504) follows the evidence
    for (let cut = start + 12; cut < ends; cut += 3) {
      expect([cut, outcome(kos.subarray(0, cut))]).toEqual([cut, 'truncated']);
    }
  });

  it.each<[string, (kos: Buffer) => void]>([
    ['a 2-byte length of 0xFFFF on the Accession Number', (k) => k.writeUInt16LE(0xffff, k.indexOf(Buffer.from([0x08, 0x00, 0x50, 0x00])) + 6)],
    ['a huge Universal Entity ID (UT) length', (k) => k.writeUInt32LE(0x7fffffff, k.indexOf(Buffer.from([0x40, 0x00, 0x32, 0x00, 0x55, 0x54])) + 8)],
    ['a huge item length in the evidence', (k) => k.writeUInt32LE(0x7ffffff0, k.indexOf(EVIDENCE_TAG) + 16)],
  ])('%s is truncated', (_label, edit) => {
    const kos = Buffer.from(seedKosBytes());
    edit(kos);
    expect(outcome(kos)).toBe('truncated');
  });

  it.each<[string, number]>([
    ['0xFFFFFFF0', 0xfffffff0],
    ['one past the end', -1],
  ])('an evidence sequence length of %s is malformed: its items run into the next attribute', (_label, length) => {
    const kos = Buffer.from(seedKosBytes());
    kos.writeUInt32LE(length < 0 ? kos.length : length, kos.indexOf(EVIDENCE_TAG) + 8);
    expect(outcome(kos)).toBe('malformed');
  });

  it('a huge file meta group length, odd value lengths and an undefined length on a string are refused or read, never thrown raw', () => {
    const metaLength = Buffer.from(seedKosBytes());
    metaLength.writeUInt32LE(0xffffffff, 132 + 8);
    expect(['parsed', 'truncated', 'malformed']).toContain(outcome(metaLength));
    const odd = Buffer.from(seedKosBytes());
    odd.writeUInt16LE(13, odd.indexOf(Buffer.from([0x08, 0x00, 0x18, 0x00])) + 6); // SOP Instance UID 14 -> 13 bytes
    expect(['truncated', 'malformed', 'not-kos']).toContain(outcome(odd));
    const undefinedString = part10(Buffer.concat([kosHeader, element(0x0008, 0x0050, 'UT', Buffer.from('ACC'), UNDEFINED_LENGTH)]));
    expect(outcome(undefinedString)).not.toBe('parsed');
  });

  it('items and sequences of undefined length that never close are truncated', () => {
    const open = Buffer.concat([
      element(0x0020, 0x000d, 'UI', ui('2.999.9.2')),
      element(0x0040, 0xa375, 'SQ', Buffer.alloc(0), UNDEFINED_LENGTH),
      itemTag(0xe000, UNDEFINED_LENGTH),
      element(0x0020, 0x000d, 'UI', ui('2.999.9.2')),
      element(0x0008, 0x1115, 'SQ', Buffer.alloc(0), UNDEFINED_LENGTH),
      itemTag(0xe000, UNDEFINED_LENGTH),
      element(0x0020, 0x000e, 'UI', ui('2.999.9.3')),
    ]);
    expect(outcome(part10(Buffer.concat([kosHeader, open])))).toBe('truncated');
  });

  it('sequences nested 100,000 deep are malformed, quickly', () => {
    const level = Buffer.concat([element(0x0040, 0xa730, 'SQ', Buffer.alloc(0), UNDEFINED_LENGTH), itemTag(0xe000, UNDEFINED_LENGTH)]);
    const deep = part10(Buffer.concat([kosHeader, element(0x0020, 0x000d, 'UI', ui('2.999.9.2')), ...Array.from({ length: 100_000 }, () => level)]));
    const started = Date.now();
    expect(outcome(deep)).toBe('malformed');
    expect(() => parseKosManifest(deep)).toThrow('the manifest nests DICOM sequences too deeply to be read');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a deflated data set that inflates past maxBytes is too-large (no zip bomb)', () => {
    const bomb = part10(zlib.deflateRawSync(Buffer.alloc(64 * 1024 * 1024)), '1.2.840.10008.1.2.1.99');
    expect(bomb.length).toBeLessThan(200 * 1024);
    expect(outcome(bomb, 1024 * 1024)).toBe('too-large');
    expect(outcome(part10(Buffer.from('not deflate data at all'), '1.2.840.10008.1.2.1.99'))).not.toBe('parsed');
  });

  it('fuzz: thousands of random mutations of the seed KOS each parse or throw a KosError, within a time bound', () => {
    const seedKos = seedKosBytes();
    const random = prng(20240115);
    const int = (n: number): number => Math.floor(random() * n);
    const mutators: ((b: Buffer) => Buffer)[] = [
      (b) => (b.writeUInt8(int(256), int(b.length)), b),
      (b) => (b.writeUInt32LE(0xffffffff, int(b.length - 4)), b),
      (b) => (b.writeUInt16LE(int(0x10000), int(b.length - 2)), b),
      (b) => b.subarray(0, int(b.length)),
      (b) => {
        const at = int(b.length);
        return Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + int(16))]);
      },
      (b) => {
        const at = int(b.length);
        return Buffer.concat([b.subarray(0, at), b.subarray(int(b.length), int(b.length)), b.subarray(at)]);
      },
    ];
    const deadline = Date.now() + 15_000;
    const counts = new Map<string, number>();
    let runs = 0;
    while (runs < 4000 && Date.now() < deadline) {
      let bytes: Buffer = Buffer.from(seedKos);
      for (let k = 1 + int(4); k > 0; k--) bytes = (mutators[int(mutators.length)] as (b: Buffer) => Buffer)(bytes);
      const result = outcome(bytes);
      counts.set(result, (counts.get(result) ?? 0) + 1);
      runs++;
    }
    expect(runs).toBeGreaterThanOrEqual(2000);
    expect(counts.get('truncated') ?? 0).toBeGreaterThan(0);
    expect(counts.get('parsed') ?? 0).toBeGreaterThan(0);
  });
});
