import zlib from 'node:zlib';
import { parseDicom, type DataSet, type ParseDicomOptions } from 'dicom-parser';
import { KosError } from './kos-error';

/**
 * Reads a DICOM Part 10 file (PS3.10 7.1) from untrusted bytes, bounded.
 *
 * Why dicom-parser (already a dependency; no install): it is small, pure JavaScript with no dependencies, reads
 * explicit and implicit VR little endian, explicit big endian and (given an inflater) deflate, and is used by
 * Cornerstone against real-world files. dcmjs, the other maintained option, is larger, turns whole data sets into
 * its own "naturalized" model (more work and memory per hostile byte) and is not installed. dicom-parser was not
 * written for hostile input, so this wrapper supplies what it lacks:
 * - a size cap before parsing, and a bounded inflater (its own Node path inflates without limit: a zip bomb);
 * - one error type: it throws strings, Errors, `{ exception, dataSet }` wrappers and, on some bad input, TypeErrors
 *   from its own code; all of them become a KosError here;
 * - sequences nest by recursion, so deeply nested input can exhaust the stack: the RangeError is caught (the input
 *   size cap bounds the work done before that);
 * - a sequence or item of undefined length that runs off the end is only a warning there: here it is 'truncated'.
 */

/** Bytes to read before the 'DICM' prefix can be checked: the 128-byte preamble and the prefix. */
const PART10_PREFIX_END = 132;

/**
 * Messages of dicom-parser (and zlib) that mean the bytes ran out: reads past the end, an element or item whose
 * length reaches past the end ('maxPosition', misspelt 'maxP osition' in dicom-parser 1.8), a sequence or item of
 * undefined length still open at the end (a warning there), a deflate stream that stops early.
 */
const RAN_OUT = /past end|overrun|overread|eof encountered|end of buffer|maxP ?osition|unexpected end of file/i;

/** A property of a thrown object, read without `instanceof` (errors from zlib or vm contexts come from another realm). */
function field(err: unknown, name: 'message' | 'name' | 'code'): string {
  if (typeof err === 'string') return name === 'message' ? err : '';
  if (typeof err !== 'object' || err === null || !(name in err)) return '';
  const value = (err as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

function messageOf(err: unknown): string {
  return field(err, 'message');
}

/** dicom-parser wraps errors from the data set as `{ exception, dataSet }`. */
function unwrap(err: unknown): unknown {
  if (typeof err === 'object' && err !== null && 'exception' in err && 'dataSet' in err) {
    return (err as { exception: unknown }).exception;
  }
  return err;
}

/** Turn anything dicom-parser or zlib threw into a KosError. */
function classify(thrown: unknown): KosError {
  const err = unwrap(thrown);
  if (err instanceof KosError) return err;
  if (field(err, 'name') === 'RangeError' && /call stack/i.test(messageOf(err))) {
    return new KosError('malformed', 'the manifest nests DICOM sequences too deeply to be read', { cause: err });
  }
  if (RAN_OUT.test(messageOf(err))) return new KosError('truncated', undefined, { cause: err });
  return new KosError('malformed', 'the manifest is malformed DICOM and could not be parsed', { cause: err });
}

/**
 * dicom-parser's inflater hook (called for Deflated Explicit VR Little Endian, PS3.5 A.5): returns the file meta
 * information followed by the inflated data set, refusing to inflate past `maxBytes` in total.
 */
function boundedInflater(maxBytes: number): (bytes: Uint8Array, position: number) => Uint8Array {
  return (bytes, position) => {
    let inflated: Buffer;
    try {
      inflated = zlib.inflateRawSync(bytes.subarray(position), { maxOutputLength: Math.max(1, maxBytes - position) });
    } catch (err) {
      if (field(err, 'code') === 'ERR_BUFFER_TOO_LARGE') throw new KosError('too-large', `the manifest inflates to more than ${maxBytes} bytes, the most this service accepts`);
      throw classify(err);
    }
    const full = Buffer.alloc(position + inflated.length);
    full.set(bytes.subarray(0, position), 0);
    full.set(inflated, position);
    return full;
  };
}

/** Parse a Part 10 file, or throw a KosError ('too-large', 'not-dicom', 'truncated', 'malformed'). */
export function readPart10(bytes: Uint8Array, maxBytes: number): DataSet {
  if (bytes.length > maxBytes) throw new KosError('too-large', `the manifest is ${bytes.length} bytes; this service accepts at most ${maxBytes}`);
  if (bytes.length < PART10_PREFIX_END || Buffer.from(bytes.buffer, bytes.byteOffset + 128, 4).toString('latin1') !== 'DICM') {
    throw new KosError('not-dicom');
  }
  // The typings declare the inflater as returning void; dicom-parser uses its return value as the new byte array.
  const options: ParseDicomOptions = { inflater: boundedInflater(maxBytes) as unknown as ParseDicomOptions['inflater'] };
  let dataSet: DataSet;
  try {
    dataSet = parseDicom(bytes, options);
  } catch (err) {
    throw classify(err);
  }
  if ((dataSet.warnings ?? []).some((w) => RAN_OUT.test(w))) throw new KosError('truncated');
  return dataSet;
}

