import { getEventListeners } from 'node:events';
import { storedQueries } from '../../../src/mappings/stored-queries';
import { XcaError } from '../../../src/xca/errors';
import { fanOut, fanOutSettling } from '../../../src/xca/fan-out';
import { crossGatewayQuery } from '../../../src/xca/iti38/client';
import type { Community, StoredQuery } from '../../../src/xca/model';
import { sendSoap, startPeer, type Peer } from './support/http-peer';
import { fixture } from './support/sources';

const community = (key: string, url: string, timeoutMs: number): Community => ({
  homeCommunityId: `urn:oid:1.2.826.0.1.999.${key.charCodeAt(0)}`,
  name: `Community ${key.toUpperCase()}`,
  iti38Url: url,
  timeoutMs,
  key,
});

const QUERY: StoredQuery = {
  queryId: storedQueries().storedQueries.FindDocuments.id,
  returnType: 'LeafClass',
  homeCommunityId: 'urn:oid:1.2.826.0.1.999.1',
  slots: [{ name: '$XDSDocumentEntryPatientId', values: ["'9000000009^^^&2.16.840.1.113883.2.1.4.1&ISO'"] }],
};

/** Sleeps like a well-behaved task: stops (rejects) when its signal aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    }, { once: true });
  });
}

describe('fanOut', () => {
  const peers: Peer[] = [];
  afterEach(async () => {
    await Promise.all(peers.splice(0).map((p) => p.close()));
  });

  it('one slow community times out while the other answers; results keep the configured order', async () => {
    const slow = await startPeer(() => undefined);
    const fast = await startPeer((_req, res) => sendSoap(res, fixture('leafclass-prefixed.xml')));
    peers.push(slow, fast);
    const communities = [community('s', slow.url, 300), community('f', fast.url, 3000)];
    const started = Date.now();
    const results = await fanOut(communities, (c, signal) => crossGatewayQuery(c, QUERY, { signal, maxResponseBytes: 1024 * 1024 }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(results.map((r) => r.community.key)).toEqual(['s', 'f']);
    const [first, second] = results;
    expect(first?.ok).toBe(false);
    if (first && !first.ok) {
      expect(first.error.kind).toBe('timeout');
      expect(first.durationMs).toBeGreaterThanOrEqual(290);
    }
    expect(second?.ok).toBe(true);
    if (second?.ok) expect(second.value.extrinsicObjects).toHaveLength(1);
  });

  it('bounds a task that ignores its signal by the community timeout', async () => {
    const results = await fanOut([community('a', 'http://unused', 100)], () => new Promise<never>(() => undefined));
    const [only] = results;
    expect(only?.ok).toBe(false);
    if (only && !only.ok) {
      expect(only.error.kind).toBe('timeout');
      expect(only.error.message).toBe('Community "Community A" did not answer within 100 ms');
    }
  });

  it('an outer abort stops every community at once', async () => {
    const outer = new AbortController();
    const seen: AbortSignal[] = [];
    const task = async (_c: Community, signal: AbortSignal): Promise<string> => {
      seen.push(signal);
      await sleep(5000, signal);
      return 'late';
    };
    setTimeout(() => outer.abort(), 50);
    const started = Date.now();
    const results = await fanOut([community('a', 'http://a', 10_000), community('b', 'http://b', 10_000)], task, { signal: outer.signal });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.kind))).toEqual(['timeout', 'timeout']);
    expect(seen.every((s) => s.aborted)).toBe(true);
  });

  it('listens once on the outer signal however many communities there are, and still aborts every one of them', async () => {
    const outer = new AbortController();
    const seen: AbortSignal[] = [];
    const listenersWhileRunning: number[] = [];
    const task = async (_c: Community, signal: AbortSignal): Promise<string> => {
      seen.push(signal);
      listenersWhileRunning.push(getEventListeners(outer.signal, 'abort').length);
      await sleep(5000, signal);
      return 'late';
    };
    // Twelve communities: one listener each on the request's signal would pass Node's limit of ten (a leak warning
    // on every search of a deployment with that many communities).
    const twelve = Array.from({ length: 12 }, (_v, i) => community(String.fromCharCode(97 + i), `http://${i}`, 10_000));
    setTimeout(() => outer.abort(), 50);
    const results = await fanOut(twelve, task, { signal: outer.signal });
    expect(listenersWhileRunning).toHaveLength(12);
    expect(Math.max(...listenersWhileRunning)).toBe(1);
    expect(results.every((r) => !r.ok && r.error.kind === 'timeout')).toBe(true);
    expect(seen.every((s) => s.aborted)).toBe(true);
    expect(getEventListeners(outer.signal, 'abort')).toHaveLength(0);
  });

  it('removes its listener from an outer signal that never aborts', async () => {
    const outer = new AbortController();
    await fanOut([community('a', 'http://a', 1000), community('b', 'http://b', 1000)], async () => 'ok', { signal: outer.signal });
    expect(getEventListeners(outer.signal, 'abort')).toHaveLength(0);
  });

  it('an outer abort with an XcaError reason hands that reason to every community; an already-aborted signal starts nothing', async () => {
    const reason = new XcaError('timeout', 'The search deadline passed');
    let started = 0;
    const results = await fanOut([community('a', 'http://a', 10_000)], (_c, signal) => (started++, sleep(5000, signal)), { signal: AbortSignal.abort(reason) });
    const [only] = results;
    expect(only && !only.ok && only.error).toBe(reason);
    expect(started).toBe(0);
  });

  it('normalises unexpected exceptions (thrown or rejected) to XcaError and never rejects', async () => {
    const results = await fanOut(
      [community('a', 'http://a', 1000), community('b', 'http://b', 1000), community('c', 'http://c', 1000)],
      async (c) => {
        if (c.key === 'a') throw new TypeError('boom');
        if (c.key === 'b') throw new XcaError('unparseable', 'bad XML');
        return c.key;
      },
    );
    expect(results.map((r) => (r.ok ? r.value : `${r.error.kind}: ${r.error.message}`))).toEqual([
      'network: The exchange with the responding gateway failed unexpectedly',
      'unparseable: bad XML',
      'c',
    ]);
    const syncThrow = await fanOut([community('a', 'http://a', 1000)], () => {
      throw new RangeError('sync');
    });
    expect(syncThrow[0]?.ok).toBe(false);
  });

  it('answers an empty community list with an empty result', async () => {
    expect(await fanOut([], async () => 1)).toEqual([]);
  });
});

describe('fanOutSettling', () => {
  it('settles each community as soon as it is done, while slower ones still run; results keep the configured order', async () => {
    const events: string[] = [];
    const task = async (c: Community, signal: AbortSignal): Promise<string> => {
      await sleep(c.key === 'slow' ? 300 : 10, signal);
      events.push(`answered ${c.key}`);
      return c.key;
    };
    const settled = await fanOutSettling(
      [community('slow', 'http://slow', 5000), community('fast', 'http://fast', 5000)],
      task,
      async (r) => {
        events.push(`settled ${r.community.key}`);
        return r.ok ? r.value.toUpperCase() : 'failed';
      },
    );
    expect(settled).toEqual(['SLOW', 'FAST']);
    expect(events).toEqual(['answered fast', 'settled fast', 'answered slow', 'settled slow']);
  });

  it('hands failures to settle too, and settle time does not count against the community timeout', async () => {
    const settled = await fanOutSettling(
      [community('a', 'http://a', 100), community('b', 'http://b', 100)],
      async (c) => {
        if (c.key === 'b') throw new XcaError('network', 'refused');
        return 'ok';
      },
      async (r) => {
        await new Promise((resolve) => setTimeout(resolve, 250)); // longer than the 100 ms timeout
        return r.ok ? `ok ${r.value}` : `failed ${r.error.kind}`;
      },
    );
    expect(settled).toEqual(['ok ok', 'failed network']);
  });
});
