import { readEncapsulatedImageFrame, readEncapsulatedPixelDataFromFragments, type DataSet, type Element } from 'dicom-parser';
import { parserKey, UIDS, type TagKeyword } from './dicom-dictionary';
import { readPart10 } from './dicom-read';
import { KosError } from './kos-error';

/**
 * The frames of one DICOM instance (WADO-RS Retrieve Frames, PS3.18 10.4.1.1.3), cut from its Pixel Data (7FE0,0010)
 * as stored: native pixel data frame by frame (Rows × Columns × Samples per Pixel × Bits Allocated / 8 bytes each,
 * PS3.5 8.1.1 and 8.2), encapsulated pixel data by the Basic Offset Table, else one fragment per frame, else (one
 * frame) all fragments (PS3.5 A.4). Nothing is decompressed or converted: a frame goes out in the transfer syntax
 * the instance has. Big endian native data (retired) and bit-packed 1-bit data are refused rather than cut wrongly.
 */

export type FrameErrorReason = 'unreadable' | 'no-pixel-data' | 'no-such-frame' | 'unsupported';

/** Why frames could not be cut; the message names the instance's problem, never its content. */
export class FrameError extends Error {
  constructor(
    readonly reason: FrameErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'FrameError';
  }
}

export interface InstanceFrames {
  /** Transfer Syntax UID (0002,0010) of the instance, and so of every frame. */
  readonly transferSyntaxUid: string;
  /** The frames asked for, in the order asked. */
  readonly frames: readonly Uint8Array[];
}

/** An IS (Number of Frames) or US (Rows, Columns, Samples per Pixel, Bits Allocated) attribute, when present. */
function numberOf(dataSet: DataSet, keyword: TagKeyword): number | undefined {
  const key = parserKey(keyword);
  const element = dataSet.elements[key];
  if (element === undefined || element.length === 0) return undefined;
  const value = keyword === 'NumberOfFrames' ? dataSet.intString(key) : dataSet.uint16(key);
  return value === undefined || Number.isNaN(value) ? undefined : value;
}

function nativeFrame(dataSet: DataSet, pixel: Element, frame: number): Uint8Array {
  const rows = numberOf(dataSet, 'Rows');
  const columns = numberOf(dataSet, 'Columns');
  const samples = numberOf(dataSet, 'SamplesPerPixel') ?? 1;
  const bits = numberOf(dataSet, 'BitsAllocated');
  if (rows === undefined || columns === undefined || bits === undefined) throw new FrameError('unreadable', 'the instance lacks Rows, Columns or Bits Allocated');
  if (bits % 8 !== 0) throw new FrameError('unsupported', `the instance's pixel data is bit-packed (Bits Allocated ${bits})`);
  const size = rows * columns * samples * (bits / 8);
  const start = pixel.dataOffset + (frame - 1) * size;
  if (size === 0 || (frame - 1) * size + size > pixel.length) throw new FrameError('unreadable', 'the instance holds less pixel data than its frames need');
  return dataSet.byteArray.subarray(start, start + size);
}

function encapsulatedFrame(dataSet: DataSet, pixel: Element, frame: number, frames: number): Uint8Array {
  const fragments = pixel.fragments ?? [];
  if ((pixel.basicOffsetTable ?? []).length > 0) return readEncapsulatedImageFrame(dataSet, pixel, frame - 1);
  if (fragments.length === frames) return readEncapsulatedPixelDataFromFragments(dataSet, pixel, frame - 1, 1);
  if (frames === 1) return readEncapsulatedPixelDataFromFragments(dataSet, pixel, 0, fragments.length);
  throw new FrameError('unsupported', `the instance's ${frames} frames span ${fragments.length} fragments with no Basic Offset Table`);
}

/**
 * The frames `wanted` (1-based) of the DICOM Part 10 instance `bytes`, read bounded by `maxBytes`.
 * @throws FrameError
 */
export function extractFrames(bytes: Uint8Array, wanted: readonly number[], maxBytes: number): InstanceFrames {
  let dataSet: DataSet;
  try {
    dataSet = readPart10(bytes, maxBytes);
  } catch (err) {
    if (err instanceof KosError) throw new FrameError('unreadable', `the instance cannot be read as DICOM (${err.reason})`);
    throw err;
  }
  const transferSyntaxUid = dataSet.string(parserKey('TransferSyntaxUID')) ?? UIDS.implicitVrLittleEndian;
  const pixel = dataSet.elements[parserKey('PixelData')];
  if (pixel === undefined) throw new FrameError('no-pixel-data', 'the instance has no Pixel Data');
  const frames = numberOf(dataSet, 'NumberOfFrames') ?? 1;
  const missing = wanted.filter((n) => !Number.isInteger(n) || n < 1 || n > frames);
  if (missing.length > 0) throw new FrameError('no-such-frame', `the instance has ${frames} frame${frames === 1 ? '' : 's'}; no frame ${missing.join(', ')}`);
  if (pixel.encapsulatedPixelData !== true && transferSyntaxUid === UIDS.explicitVrBigEndian) {
    throw new FrameError('unsupported', 'the instance is in Explicit VR Big Endian (retired)');
  }
  try {
    const cut = wanted.map((n) => (pixel.encapsulatedPixelData === true ? encapsulatedFrame(dataSet, pixel, n, frames) : nativeFrame(dataSet, pixel, n)));
    return { transferSyntaxUid, frames: cut };
  } catch (err) {
    if (err instanceof FrameError) throw err;
    throw new FrameError('unreadable', 'the instance\'s pixel data cannot be cut into frames');
  }
}
