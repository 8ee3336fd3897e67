import { createPageCache, MAX_PAGE_TTL_MS } from '../../../src/cache';

const SEARCH = JSON.stringify({ v: 2, search: { p: '9000000009' }, x: 'org-a' });
const OTHER_SEARCH = JSON.stringify({ v: 2, search: { p: '9000000017' }, x: 'org-a' });
const OLD = { id: 'result-old', at: '2026-11-23T10:00:00.000Z' };
const NEW = { id: 'result-new', at: '2026-11-23T10:05:00.000Z' };
const body = (text: string): Buffer => Buffer.from(text, 'utf8');

function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe('the rendered page cache', () => {
  test('serves a page back byte for byte, only under the same search and page', () => {
    const pages = createPageCache();
    pages.set(SEARCH, 'page-1', body('{"resourceType":"Bundle"}'), 10_000, OLD);
    expect(pages.get(SEARCH, 'page-1')?.toString('utf8')).toBe('{"resourceType":"Bundle"}');
    expect(pages.get(SEARCH, 'page-2')).toBeUndefined();
    expect(pages.get(OTHER_SEARCH, 'page-1')).toBeUndefined();
  });

  test('a page of a newer result supersedes every page of the older one; other searches keep theirs', () => {
    const pages = createPageCache();
    pages.set(SEARCH, 'page-1', body('old 1'), 10_000, OLD);
    pages.set(SEARCH, 'page-2', body('old 2'), 10_000, OLD);
    pages.set(OTHER_SEARCH, 'page-1', body('other'), 10_000, OLD);
    pages.set(SEARCH, 'page-1', body('new 1'), 10_000, NEW);
    expect(pages.get(SEARCH, 'page-1')?.toString()).toBe('new 1');
    expect(pages.get(SEARCH, 'page-2')).toBeUndefined();
    expect(pages.get(OTHER_SEARCH, 'page-1')?.toString()).toBe('other');
  });

  test('a superseded result’s pages are freed at once, not left for the byte bound to push out', () => {
    const pages = createPageCache();
    pages.set(SEARCH, 'page-1', Buffer.alloc(10_000, 1), 10_000, OLD);
    pages.set(SEARCH, 'page-2', Buffer.alloc(10_000, 2), 10_000, OLD);
    expect(pages.bytes()).toBeGreaterThan(20_000);
    pages.set(SEARCH, 'page-1', Buffer.alloc(10_000, 3), 10_000, NEW);
    expect(pages.bytes()).toBeGreaterThan(10_000);
    expect(pages.bytes()).toBeLessThan(20_000);
  });

  test('a page rendered late from an older result is not kept, and never replaces the newer result’s page', () => {
    const pages = createPageCache();
    pages.set(SEARCH, 'page-1', body('new 1'), 10_000, NEW);
    pages.set(SEARCH, 'page-1', body('old 1'), 10_000, OLD);
    pages.set(SEARCH, 'page-2', body('old 2'), 10_000, OLD);
    expect(pages.get(SEARCH, 'page-1')?.toString()).toBe('new 1');
    expect(pages.get(SEARCH, 'page-2')).toBeUndefined();
  });

  test('a page lives as long as it is given, and never longer than MAX_PAGE_TTL_MS', () => {
    const time = clock();
    const pages = createPageCache({ now: time.now });
    pages.set(SEARCH, 'short', body('short'), 2_000, OLD);
    pages.set(SEARCH, 'long', body('long'), 10 * 60_000, OLD);
    time.advance(1_999);
    expect(pages.get(SEARCH, 'short')?.toString()).toBe('short');
    time.advance(2);
    expect(pages.get(SEARCH, 'short')).toBeUndefined();
    time.advance(MAX_PAGE_TTL_MS - 2_002);
    expect(pages.get(SEARCH, 'long')?.toString()).toBe('long');
    time.advance(2);
    expect(pages.get(SEARCH, 'long')).toBeUndefined();
  });

  test('a page whose search entry has already expired (no life left) is not kept', () => {
    const pages = createPageCache();
    pages.set(SEARCH, 'page-1', body('x'), 0, OLD);
    pages.set(SEARCH, 'page-2', body('y'), -5, OLD);
    expect(pages.get(SEARCH, 'page-1')).toBeUndefined();
    expect(pages.get(SEARCH, 'page-2')).toBeUndefined();
  });

  test('keeps at most maxBytes of pages, dropping the least recently used', () => {
    const pages = createPageCache({ maxBytes: 3_000 });
    pages.set(SEARCH, 'a', Buffer.alloc(1_000, 1), 10_000, OLD);
    pages.set(SEARCH, 'b', Buffer.alloc(1_000, 2), 10_000, OLD);
    expect(pages.get(SEARCH, 'a')).toBeDefined(); // a is now the most recently used
    pages.set(SEARCH, 'c', Buffer.alloc(1_000, 3), 10_000, OLD);
    expect(pages.get(SEARCH, 'b')).toBeUndefined();
    expect(pages.get(SEARCH, 'a')?.equals(Buffer.alloc(1_000, 1))).toBe(true);
    expect(pages.get(SEARCH, 'c')?.equals(Buffer.alloc(1_000, 3))).toBe(true);
  });

  test('maxBytes 0 turns it off', () => {
    const pages = createPageCache({ maxBytes: 0 });
    pages.set(SEARCH, 'page-1', body('x'), 10_000, OLD);
    expect(pages.get(SEARCH, 'page-1')).toBeUndefined();
  });
});
