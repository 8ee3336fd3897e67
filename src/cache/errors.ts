import type { CacheOptions } from './types';

/**
 * A cache setting is missing or invalid. Thrown by `createCache` at startup only (never by a cache call), so the
 * service refuses to start rather than run with, say, a weak key. `setting` lets the configuration layer name the
 * environment variable that feeds it.
 */
export class CacheConfigError extends Error {
  /** The offending {@link CacheOptions} field (or 'cursorSecret' for the cursor helper). */
  readonly setting: keyof CacheOptions | 'cursorSecret';

  constructor(setting: keyof CacheOptions | 'cursorSecret', message: string) {
    super(`${setting}: ${message}`);
    this.name = 'CacheConfigError';
    this.setting = setting;
  }
}

/** Why a cursor was refused: not a token we could have produced, or one that fails authentication. */
export type CursorErrorReason = 'malformed' | 'forged';

/** A paging cursor that is not ours, or was altered. The caller answers 400 (FHIR paging links are opaque). */
export class CursorError extends Error {
  readonly reason: CursorErrorReason;

  constructor(reason: CursorErrorReason) {
    super(reason === 'forged' ? 'cursor failed authentication' : 'cursor is malformed');
    this.name = 'CursorError';
    this.reason = reason;
  }
}
