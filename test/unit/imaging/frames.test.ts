import fs from 'node:fs';
import path from 'node:path';
import { extractFrames, FrameError } from '../../../src/imaging/frames';
import { dcmtk, makeTmp, removeTmp, seedBytes, seedImages, seedKosBytes } from './dicom-fixtures';

/**
 * Frames cut from Pixel Data, against instances made by dcmtk from a sandbox seed image (64 × 64, 16 bits): the same
 * pixel data as two 32-row frames (native), and those frames JPEG-lossless compressed with and without a Basic Offset
 * Table (encapsulated). dcmdump, the referee, says where each frame's bytes are.
 */
const MAX = 16 * 1024 * 1024;
let tmp: string;
let native: Buffer;
let pixelData: Buffer;

beforeAll(() => {
  tmp = makeTmp('frames');
  const seed = seedImages()[0]!;
  const file = path.join(tmp, 'two-frames.dcm');
  fs.writeFileSync(file, seedBytes(seed));
  dcmtk('dcmodify', ['-nb', '-i', '(0028,0008)=2', '-m', '(0028,0010)=32', file]);
  native = fs.readFileSync(file);
  dcmtk('dcmdump', ['+W', tmp, file]);
  pixelData = fs.readFileSync(`${file}.0.raw`);
});
afterAll(() => removeTmp(tmp));

/** JPEG-lossless copy of the two-frame instance, and the lengths of its fragments as dcmdump lists them. */
function compressed(name: string, options: string[]): { bytes: Buffer; fragmentLengths: number[] } {
  const out = path.join(tmp, name);
  dcmtk('dcmcjpeg', ['+e1', ...options, path.join(tmp, 'two-frames.dcm'), out]);
  const dump = dcmtk('dcmdump', [out]);
  const pixelItems = dump.slice(dump.indexOf('(7fe0,0010)')).split('\n').filter((l) => l.includes('(fffe,e000) pi'));
  const lengths = pixelItems.map((l) => Number(/# +(\d+),/.exec(l)?.[1]));
  return { bytes: fs.readFileSync(out), fragmentLengths: lengths };
}

describe('extractFrames', () => {
  it('cuts native pixel data frame by frame, in the order asked', () => {
    const { transferSyntaxUid, frames } = extractFrames(native, [2, 1], MAX);
    expect(transferSyntaxUid).toBe('1.2.840.10008.1.2.1');
    expect(frames.map((f) => Buffer.from(f))).toEqual([pixelData.subarray(4096, 8192), pixelData.subarray(0, 4096)]);
  });

  it('cuts encapsulated pixel data by its Basic Offset Table, or one fragment per frame without one', () => {
    for (const [name, options] of [['bot.dcm', []], ['no-bot.dcm', ['--offset-table-empty']]] as const) {
      // The first item is the Basic Offset Table: two 4-byte offsets, or empty.
      const { bytes, fragmentLengths } = compressed(name, [...options]);
      const [table, ...fragments] = fragmentLengths;
      expect(table).toBe(name === 'bot.dcm' ? 8 : 0);
      expect(fragments).toHaveLength(2);
      const { transferSyntaxUid, frames } = extractFrames(bytes, [1, 2], MAX);
      expect(transferSyntaxUid).toBe('1.2.840.10008.1.2.4.70');
      expect(frames.map((f) => f.length)).toEqual(fragments);
      for (const frame of frames) {
        expect(Buffer.from(frame.subarray(0, 2)).toString('hex')).toBe('ffd8'); // JPEG SOI
        expect(Buffer.from(frame.subarray(-2)).toString('hex')).toBe('ffd9'); // JPEG EOI
      }
    }
  });

  it('refuses a frame the instance does not have, an instance with no Pixel Data, and bytes that are not DICOM', () => {
    expect(() => extractFrames(native, [3], MAX)).toThrow(expect.objectContaining({ reason: 'no-such-frame', message: 'the instance has 2 frames; no frame 3' }));
    expect(() => extractFrames(seedKosBytes(), [1], MAX)).toThrow(expect.objectContaining({ reason: 'no-pixel-data' }));
    expect(() => extractFrames(Buffer.from('not dicom at all'.repeat(20)), [1], MAX)).toThrow(FrameError);
    expect(() => extractFrames(native, [1], 1024)).toThrow(expect.objectContaining({ reason: 'unreadable' }));
  });
});
