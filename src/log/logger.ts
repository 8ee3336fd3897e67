import { Writable } from 'node:stream';
import pino, { type Logger, type DestinationStream } from 'pino';
import { maskNhsNumbers } from '../nhs/nhs-number';

/**
 * JSON logs (pino). The service never logs an NHS number or document content on purpose: request logs carry the
 * route and parameter NAMES, never the query string. As a safety net the destination also masks anything shaped
 * like an NHS number (10 digits, optionally spaced 3-3-4) in every line before it is written.
 */

/** A destination that scrubs each line, then writes it to `target` (stdout by default). */
export function scrubbingDestination(target: NodeJS.WritableStream = process.stdout): DestinationStream {
  return new Writable({
    write(chunk: Buffer | string, _enc, callback) {
      target.write(maskNhsNumbers(chunk.toString()));
      callback();
    },
  });
}

export type { Logger };

/** Create the service logger. Tests pass their own destination to read what was logged. */
export function createLogger(level: string, destination: DestinationStream = scrubbingDestination()): Logger {
  return pino({ level, base: { service: 'mhd-xca-facade' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
