import { randomBytes, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { searchByNhsNumber, startTestFacade, type TestFacade } from '../support/facade';
import { startPrivateRedis } from '../support/redis';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRETS = { CACHE_KEY_SECRET: randomBytes(24).toString('hex'), CACHE_ENCRYPTION_KEY: randomBytes(32).toString('hex') };

function matches(bundle: any): any[] {
  return (bundle.entry ?? []).filter((e: any) => e.search.mode === 'match').map((e: any) => e.resource);
}
function link(bundle: any, relation: string): string | undefined {
  return bundle.link.find((l: any) => l.relation === relation)?.url;
}
function upstream(facade: TestFacade): number {
  return facade.service.sandbox!.gateways.reduce((n, g) => n + g.stats().iti38, 0);
}
async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: await res.json() };
}

describe('paging through a cached search (in-process cache)', () => {
  let facade: TestFacade;
  beforeAll(async () => {
    facade = await startTestFacade();
  });
  afterAll(async () => {
    await facade.close();
  });

  it('pages through all 300 documents of 9000000041 with no duplicate, no gap and no upstream call after page 1', async () => {
    const first = await searchByNhsNumber(facade, '9000000041');
    const afterFirst = upstream(facade);
    const ids: string[] = matches(first.body).map((d) => d.id);
    let next = link(first.body, 'next');
    let pages = 1;
    while (next !== undefined) {
      const page = await get(next);
      expect(page.status).toBe(200);
      expect(page.body.total).toBe(300);
      expect(link(page.body, 'previous')).toBeDefined();
      ids.push(...matches(page.body).map((d) => d.id));
      next = link(page.body, 'next');
      pages += 1;
    }
    expect(pages).toBe(6);
    expect(ids).toHaveLength(300);
    expect(new Set(ids).size).toBe(300);
    expect(upstream(facade)).toBe(afterFirst);
    const all = await searchByNhsNumber(facade, '9000000041', '&_count=1000');
    expect(matches(all.body).map((d) => d.id)).toEqual(ids);
  });

  it('answers 50 concurrent identical searches with one ITI-38 per community', async () => {
    const before = facade.service.sandbox!.gateways.map((g) => g.stats().iti38);
    const results = await Promise.all(Array.from({ length: 50 }, () => searchByNhsNumber(facade, '9000000009', '&_count=7')));
    expect(results.every((r) => r.status === 200 && r.body.total === results[0]!.body.total)).toBe(true);
    const after = facade.service.sandbox!.gateways.map((g) => g.stats().iti38);
    expect(after.map((n, i) => n - before[i]!)).toEqual([1, 1]);
  });

  it('goes upstream again with Cache-Control: no-cache', async () => {
    await searchByNhsNumber(facade, '9000000017');
    const before = upstream(facade);
    await searchByNhsNumber(facade, '9000000017');
    expect(upstream(facade)).toBe(before);
    await searchByNhsNumber(facade, '9000000017', '', { 'Cache-Control': 'no-cache' });
    expect(upstream(facade)).toBe(before + 2);
  });

  it('answers a repeated search with the page rendered the first time: same result id and time, same bytes, no upstream call', async () => {
    const url = `${facade.fhir}/DocumentReference?patient.identifier=${encodeURIComponent('https://fhir.nhs.uk/Id/nhs-number|9000000025')}&_count=5`;
    const first = await fetch(url, { headers: facade.headers });
    const firstText = await first.text();
    const before = upstream(facade);
    const again = await fetch(url, { headers: facade.headers });
    const againText = await again.text();
    expect(again.status).toBe(200);
    expect(upstream(facade)).toBe(before);
    // A fresh rendering would carry newly sealed cursors (random IVs) in its links: identical bytes mean the kept page.
    expect(againText).toBe(firstText);
    const bundle = JSON.parse(firstText);
    expect(bundle.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(bundle.meta.lastUpdated)).toBeLessThanOrEqual(Date.now());
  });

  it('every page of one result names that result: one Bundle id and lastUpdated across the pages', async () => {
    const first = await searchByNhsNumber(facade, '9000000041', '&_count=100');
    const second = await get(link(first.body, 'next')!);
    const third = await get(link(second.body, 'next')!);
    expect(second.body.id).toBe(first.body.id);
    expect(third.body.id).toBe(first.body.id);
    expect(third.body.meta.lastUpdated).toBe(first.body.meta.lastUpdated);
  });

  it('after a refresh (Cache-Control: no-cache) identical searches see the new result, not a page kept from the old one', async () => {
    const old = await searchByNhsNumber(facade, '9000000009', '&_count=3');
    const oldOtherSize = await searchByNhsNumber(facade, '9000000009', '&_count=4');
    expect(oldOtherSize.body.id).toBe(old.body.id);
    const refreshed = await searchByNhsNumber(facade, '9000000009', '&_count=3', { 'Cache-Control': 'no-cache' });
    expect(refreshed.body.id).not.toBe(old.body.id);
    const before = upstream(facade);
    // Both page sizes were rendered from the old result; the refresh went through one of them only.
    for (const count of ['&_count=3', '&_count=4']) {
      const later = await searchByNhsNumber(facade, '9000000009', count);
      expect(later.body.id).toBe(refreshed.body.id);
      expect(later.body.meta.lastUpdated).toBe(refreshed.body.meta.lastUpdated);
    }
    expect(upstream(facade)).toBe(before);
  });

  it('keeps the JSON and the XML rendering of one search apart', async () => {
    const url = `${facade.fhir}/DocumentReference?patient.identifier=${encodeURIComponent('https://fhir.nhs.uk/Id/nhs-number|9000000084')}`;
    const json = await fetch(url, { headers: { ...facade.headers, Accept: 'application/fhir+json' } });
    const jsonBody = JSON.parse(await json.text());
    const xml = await fetch(url, { headers: { ...facade.headers, Accept: 'application/fhir+xml' } });
    const xmlText = await xml.text();
    expect(xml.headers.get('content-type')).toMatch(/^application\/fhir\+xml/);
    expect(xmlText).toMatch(/^(<\?xml[^>]*\?>\s*)?<Bundle xmlns="http:\/\/hl7\.org\/fhir">/);
    expect(xmlText).toContain(`<id value="${jsonBody.id}"/>`);
    const jsonAgain = await fetch(url, { headers: { ...facade.headers, Accept: 'application/fhir+json' } });
    expect(jsonAgain.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    expect(JSON.parse(await jsonAgain.text()).id).toBe(jsonBody.id);
  });

  it('refuses a malformed or forged cursor with 400', async () => {
    const first = await searchByNhsNumber(facade, '9000000041');
    const next = link(first.body, 'next')!;
    const token = new URL(next).searchParams.get('_cursor')!;
    const forged = `${token.slice(0, 20)}${token[20] === 'A' ? 'B' : 'A'}${token.slice(21)}`;
    for (const bad of [forged, 'not-a-cursor', '']) {
      const res = await get(`${facade.fhir}/DocumentReference?_cursor=${encodeURIComponent(bad)}`);
      expect(res.status).toBe(400);
      expect(res.body.issue[0].expression).toEqual(['_cursor']);
    }
  });
});

describe('cursor expiry', () => {
  it('answers 410 telling the client to search again once the cached search expired', async () => {
    const facade = await startTestFacade({ CACHE_TTL_SECONDS: '1' });
    try {
      const first = await searchByNhsNumber(facade, '9000000041');
      await new Promise((r) => setTimeout(r, 1300));
      const expired = await get(link(first.body, 'next')!);
      expect(expired.status).toBe(410);
      expect(expired.body.issue[0].diagnostics).toMatch(/search again/);
    } finally {
      await facade.close();
    }
  });
});

describe('kept pages and expiry', () => {
  it('a page served before is not served again once its search has expired: 410', async () => {
    const facade = await startTestFacade({ CACHE_TTL_SECONDS: '1' });
    try {
      const first = await searchByNhsNumber(facade, '9000000041');
      const next = link(first.body, 'next')!;
      expect((await get(next)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1300));
      const expired = await get(next);
      expect(expired.status).toBe(410);
    } finally {
      await facade.close();
    }
  });
});

describe('with Redis', () => {
  const prefix = `mxf-test-${randomUUID()}:`;
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('keeps nothing readable as patient data: no NHS number, no title in any key or value', async () => {
    const facade = await startTestFacade({ REDIS_URL, REDIS_KEY_PREFIX: prefix, ...SECRETS });
    try {
      const { body } = await searchByNhsNumber(facade, '9000000009');
      const titles: string[] = matches(body).map((d) => d.content[0].attachment.title).filter(Boolean);
      expect(titles.length).toBeGreaterThan(0);
      // The result and the seen-document pointers are stored just after the answer goes out: wait for them.
      let keys: string[] = [];
      for (let i = 0; i < 100 && !(keys.some((k) => k.startsWith(`${prefix}search:`)) && keys.some((k) => k.startsWith(`${prefix}seen:`))); i += 1) {
        await new Promise((r) => setTimeout(r, 20));
        keys = await redis.keys(`${prefix}*`);
      }
      expect(keys.filter((k) => k.startsWith(`${prefix}search:`)).length).toBeGreaterThan(0);
      expect(keys.filter((k) => k.startsWith(`${prefix}seen:`)).length).toBeGreaterThan(titles.length);
      const types = await Promise.all(keys.map((k) => redis.type(k)));
      expect(types).toContain('stream'); // the audit trail's encrypted copy lives here too
      for (const [i, key] of keys.entries()) {
        const raw =
          types[i] === 'stream'
            ? Buffer.concat((await redis.xrangeBuffer(key, '-', '+')).flatMap(([id, fields]) => [id, ...fields]))
            : ((await redis.getBuffer(key)) ?? Buffer.alloc(0));
        for (const text of [key, raw.toString('latin1'), raw.toString('utf8')]) {
          expect(text).not.toContain('9000000009');
          for (const title of titles) expect(text).not.toContain(title);
        }
      }
    } finally {
      await facade.close();
    }
  });

  it('serves one replica’s paging cursor from another replica sharing the Redis', async () => {
    const env = { REDIS_URL, REDIS_KEY_PREFIX: `${prefix}replicas:`, ...SECRETS };
    const one = await startTestFacade(env);
    const two = await startTestFacade({ ...env, COMMUNITIES_FILE: '' });
    try {
      const first = await searchByNhsNumber(one, '9000000041');
      const next = link(first.body, 'next')!.replace(one.url, two.url);
      const page = await get(next);
      expect(page.status).toBe(200);
      expect(matches(page.body)).toHaveLength(50);
    } finally {
      await two.close();
      await one.close();
    }
  });
});

describe('when Redis fails', () => {
  it('keeps answering searches uncached, reports degraded, and resumes caching when Redis returns', async () => {
    const redis = await startPrivateRedis();
    const facade = await startTestFacade({ REDIS_URL: redis.url, ...SECRETS });
    try {
      await new Promise((r) => setTimeout(r, 200));
      await searchByNhsNumber(facade, '9000000009');
      const cachedBefore = upstream(facade);
      await searchByNhsNumber(facade, '9000000009');
      expect(upstream(facade)).toBe(cachedBefore);

      await redis.kill();
      const started = Date.now();
      const during = await searchByNhsNumber(facade, '9000000017');
      expect(during.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(3000);
      const status = await get(`${facade.url}/_status`);
      expect(status.body.cache.state).toBe('degraded');
      const warnings = facade.logs.filter((l) => l.includes('"level":40') && /cache/i.test(l));
      expect(warnings.length).toBeGreaterThanOrEqual(1);

      await redis.restart();
      let resumed = false;
      for (let i = 0; i < 50 && !resumed; i += 1) {
        await new Promise((r) => setTimeout(r, 100));
        await searchByNhsNumber(facade, '9000000025');
        const before = upstream(facade);
        await searchByNhsNumber(facade, '9000000025');
        resumed = upstream(facade) === before;
      }
      expect(resumed).toBe(true);
      expect((await get(`${facade.url}/_status`)).body.cache.state).toBe('ok');
    } finally {
      await facade.close();
      await redis.stop();
    }
  });
});
