import type { BundleLink } from 'fhir/r4';
import { openCursor, sealCursor, CursorError } from '../cache';
import { FacadeError } from '../errors/facade-error';

/**
 * Paging of a cached search (issue: every page after the first is served from the cache). The cursor is sealed
 * (AES-GCM): it carries the cache key material of the search, the offset, the page size and the access context
 * that made it, and reveals none of them.
 */
export const DEFAULT_COUNT = 50;
export const MAX_COUNT = 500;

export interface PageCursor {
  /** Cache key material of the search (holds the patient: never leaves the service unsealed). */
  readonly q: string;
  readonly o: number;
  readonly c: number;
  /** Access context the cursor belongs to. */
  readonly x: string;
  /** Id of the cached result the cursor was made from (absent in cursors of earlier releases). */
  readonly r?: string;
}

/** `_count`: default 50, anything above 500 served as 500. */
export function pageSize(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_COUNT;
  if (!/^\d{1,9}$/.test(raw)) throw new FacadeError('INVALID_PARAMETER', `_count must be a whole number, got '${raw}'`, { expression: '_count' });
  return Math.min(Number(raw), MAX_COUNT);
}

/** Open a cursor for this access context; a malformed, forged or foreign cursor is a 400. */
export function readCursor(token: string, secret: string, accessContext: string): PageCursor {
  let cursor: PageCursor;
  try {
    cursor = openCursor<PageCursor>(token, secret);
  } catch (err) {
    if (err instanceof CursorError) throw new FacadeError('INVALID_PARAMETER', 'The paging cursor is not valid: search again', { expression: '_cursor' });
    throw err;
  }
  const wellFormed = typeof cursor.q === 'string' && Number.isInteger(cursor.o) && cursor.o >= 0 && Number.isInteger(cursor.c) && cursor.c >= 0 && cursor.c <= MAX_COUNT && (cursor.r === undefined || typeof cursor.r === 'string');
  if (!wellFormed || cursor.x !== accessContext) throw new FacadeError('INVALID_PARAMETER', 'The paging cursor is not valid: search again', { expression: '_cursor' });
  return cursor;
}

/** self / first / previous / next links of one page. */
export function pageLinks(options: { baseUrl: string; selfUrl: string; cursor: PageCursor; total: number; secret: string }): BundleLink[] {
  const { cursor, total } = options;
  const url = (o: number): string => `${options.baseUrl}/DocumentReference?_cursor=${sealCursor({ ...cursor, o }, options.secret)}`;
  const links: BundleLink[] = [{ relation: 'self', url: options.selfUrl }, { relation: 'first', url: url(0) }];
  if (cursor.c > 0 && cursor.o > 0) links.push({ relation: 'previous', url: url(Math.max(0, cursor.o - cursor.c)) });
  if (cursor.c > 0 && cursor.o + cursor.c < total) links.push({ relation: 'next', url: url(cursor.o + cursor.c) });
  return links;
}
