import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { openBytes, sealBytes } from './envelope';
import { deriveEntryKey } from './keys';

/**
 * Rendered pages of cached searches, kept in this process only. A repeated search, or a page of it, is answered
 * with the bytes rendered the first time instead of reading the whole result from the shared cache, parsing it,
 * building the Bundle and serialising it again (that was most of the cost of a cache hit: bench:search).
 *
 * The same privacy rules as the shared cache: a page is AES-256-GCM sealed under a key generated per process, and
 * its name is an HMAC under a per-process secret, so nothing in memory is indexed by or readable as patient data
 * outside the moment it is served. Pages never outlive their search's entry (the caller passes what is left of
 * its life) and live at most {@link MAX_PAGE_TTL_MS}.
 *
 * Each page is kept for the result it was rendered from. Keeping a page of a newer result of a search (a refresh
 * with `Cache-Control: no-cache`, here or seen through the shared cache) supersedes every page of the older one; a
 * page of an older result rendered late (a request that read the old entry just before a refresh finished) is not
 * kept, so it can never replace the new result's pages.
 */
export interface PageCache {
  /** The page `page` of search `search` as rendered from its current result, if still fresh. */
  get(search: string, page: string): Buffer | undefined;
  /** Keep a page rendered from `result` for `ttlMs` (capped); a non-positive ttl keeps nothing. */
  set(search: string, page: string, body: Buffer, ttlMs: number, result: RenderedFrom): void;
  /** Bytes held (sealed pages and their names). */
  bytes(): number;
}

/** The cached result a page was rendered from: its id and the time it was obtained (ISO 8601, UTC, as toISOString). */
export interface RenderedFrom {
  readonly id: string;
  readonly at: string;
}

/** Longest a rendered page is kept: bounds how long another replica's refresh of the same search goes unseen here. */
export const MAX_PAGE_TTL_MS = 30_000;

export interface PageCacheOptions {
  /** Most bytes of sealed pages kept (least recently used go first); default 32 MiB. 0 disables the cache. */
  readonly maxBytes?: number;
  /** Clock for page lifetimes (tests pin it); default performance.now. */
  readonly now?: () => number;
}

const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
/** Pages kept per result (each paging cursor URL is a page of its own); past it, pages are rendered, not kept. */
const MAX_PAGES_PER_RESULT = 1_000;

export function createPageCache(options: PageCacheOptions = {}): PageCache {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (maxBytes <= 0) return { get: () => undefined, set: () => undefined, bytes: () => 0 };
  const secret = randomBytes(32);
  const encryptionKey = randomBytes(32);
  // Names as the shared cache's (keys.ts), under this process's own secret.
  const name = (label: 'search' | 'page', material: string): string => deriveEntryKey('', secret, label, material);
  const pages = new LRUCache<string, Buffer>({
    maxSize: maxBytes,
    sizeCalculation: (value, key) => Math.max(1, value.length + key.length),
    // Expired pages are freed when they expire, not when the byte bound would push them out: a stream of refreshed
    // searches must not hold 32 MiB of dead pages (bench:soak's RSS slope).
    ttlAutopurge: true,
    ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
  });
  // The result each search's kept pages belong to (a page's name includes its id) and the pages kept for it, which go
  // as soon as a newer result supersedes it.
  const current = new LRUCache<string, RenderedFrom & { readonly keys: Set<string> }>({
    max: 10_000,
    dispose: (entry) => {
      for (const key of entry.keys) pages.delete(key);
    },
  });
  const pageName = (searchName: string, resultId: string, page: string): string => name('page', `${searchName}\0${resultId}\0${page}`);
  return {
    get(search, page) {
      const searchName = name('search', search);
      const result = current.get(searchName);
      if (result === undefined) return undefined;
      const key = pageName(searchName, result.id, page);
      const sealed = pages.get(key);
      if (sealed === undefined) return undefined;
      const body = openBytes(encryptionKey, key, sealed);
      if (body === undefined) pages.delete(key);
      return body;
    },
    set(search, page, body, ttlMs, result) {
      const ttl = Math.min(Math.floor(ttlMs), MAX_PAGE_TTL_MS);
      if (!(ttl > 0)) return;
      const searchName = name('search', search);
      let kept = current.get(searchName);
      if (kept === undefined || result.at > kept.at) {
        kept = { id: result.id, at: result.at, keys: new Set<string>() };
        current.set(searchName, kept); // disposes of (deletes) the pages of the result it replaces
      } else if (kept.id !== result.id) return; // rendered from an older result than the one kept: never served
      if (kept.keys.size >= MAX_PAGES_PER_RESULT) return;
      const key = pageName(searchName, result.id, page);
      kept.keys.add(key);
      pages.set(key, sealBytes(encryptionKey, key, body), { ttl });
    },
    bytes: () => pages.calculatedSize,
  };
}
