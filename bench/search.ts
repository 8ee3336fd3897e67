import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCannedGateways } from './lib/canned';
import { searchUrl, startFacade } from './lib/facade';
import { BENCH_PATIENT, cannedIti38Answer } from './lib/iti38-fixture';
import { bareSaxes, chunksOf } from './lib/parse-modes';
import { load, type LoadResult } from './lib/load';
import { startNode } from './lib/processes';
import { emit, envNumber, runBenchmark, type Check } from './lib/report';
import { round } from './lib/stats';

/**
 * bench:search — ITI-67 searches through the facade (own process) against one canned responding gateway (own
 * process) that answers 50 LeafClass documents after a fixed delay.
 * a. Cache hits: the same query from one caller, repeated (the first request fills the cache), against a bare
 *    Express endpoint serving the same Bundle JSON. Target: facade throughput >= 0.7 x bare.
 * b. Cache misses (Cache-Control: no-cache): each connection is a different organisation's caller, so concurrent
 *    misses never join one another's upstream call. The facade's added latency over the fixed delay.
 *    Targets: < 5 ms p50, < 20 ms p99. Reported alongside: the gateway's own latency (POSTed directly, same
 *    connections) and the added latency with one connection (no queueing behind other searches).
 * Knobs: BENCH_SEARCH_SECONDS (10), BENCH_SEARCH_CONNECTIONS (4), BENCH_SEARCH_DELAY_MS (50), BENCH_SEARCH_WARMUP_SECONDS (5),
 * BENCH_SEARCH_HIT_ROUNDS (2: cache-hit phases alternate bare and facade).
 */
const SECONDS = envNumber('BENCH_SEARCH_SECONDS', 10);
const CONNECTIONS = envNumber('BENCH_SEARCH_CONNECTIONS', 4);
const DELAY_MS = envNumber('BENCH_SEARCH_DELAY_MS', 50);
const DOCUMENTS = 50;
const WARMUP_SECONDS = envNumber('BENCH_SEARCH_WARMUP_SECONDS', 5);
/** Cache-hit phases alternate bare and facade this many times (SECONDS split between them), so neither side gets
 * the quieter or the warmer part of the run (the client's own state and the machine drift over a run). */
const HIT_ROUNDS = envNumber('BENCH_SEARCH_HIT_ROUNDS', 2);

/**
 * For reading the cache-miss figures: how long the bare namespace-aware saxes parse (no mapping, no model) of the
 * same 50-entry answer takes in this process, median of 50 after 20 warm-up parses. Whatever the facade does, it
 * reads these bytes; this is the floor under its added latency with a streaming JS XML parser.
 */
function bareParseMs(home: string): number {
  const chunks = chunksOf(Buffer.from(cannedIti38Answer({ documents: DOCUMENTS, home }), 'utf8'));
  const times: number[] = [];
  for (let i = 0; i < 70; i += 1) {
    const started = performance.now();
    bareSaxes(chunks);
    if (i >= 20) times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0;
}

/** Rounds of one side as one result: requests over the whole time; latencies of the round with the median rate. */
function combined(rounds: readonly LoadResult[]): LoadResult {
  const requests = rounds.reduce((n, r) => n + r.requests, 0);
  const seconds = rounds.reduce((n, r) => n + (r.requestsPerSecond > 0 ? r.requests / r.requestsPerSecond : 0), 0);
  const byRate = [...rounds].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  const middle = byRate[Math.floor(byRate.length / 2)] ?? rounds[0];
  if (middle === undefined) throw new Error('no rounds');
  return { ...middle, requests, requestsPerSecond: seconds > 0 ? round(requests / seconds, 1) : 0 };
}

function figures(r: LoadResult): Record<string, unknown> {
  return { rps: r.requestsPerSecond, requests: r.requests, latencyMs: r.latencyMs, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

function clean(r: LoadResult, what: string): void {
  if (r.non2xx > 0 || r.errors > 0 || r.timeouts > 0) throw new Error(`${what}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
}

async function main(): Promise<void> {
  const gateways = await startCannedGateways([{ delayMs: DELAY_MS, documents: DOCUMENTS, timeoutMs: 10_000 }]);
  const facade = await startFacade(gateways.communities);
  const bundleFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bundle-')), 'bundle.json');
  let bare: Awaited<ReturnType<typeof startNode>> | undefined;
  try {
    const url = searchUrl(facade.fhir, BENCH_PATIENT);
    const first = await fetch(url, { headers: facade.headers });
    const text = await first.text();
    const total = (JSON.parse(text) as { total?: number }).total;
    if (first.status !== 200 || total !== DOCUMENTS) throw new Error(`warm-up search: HTTP ${first.status}, total ${total}`);
    fs.writeFileSync(bundleFile, text);
    bare = await startNode('dist/bench/servers/bare-bundle.js', { BENCH_BUNDLE_FILE: bundleFile }, /bare listening/);
    const barePort = /listening (\d+)/.exec(bare.lines.join('\n'))?.[1];
    const bareUrl = `http://127.0.0.1:${barePort}/fhir/DocumentReference`;

    const hitLoad = { connections: CONNECTIONS, headers: facade.headers };
    // Both warmed for the same time (the facade has far more code for the JIT to settle), then alternating rounds.
    await load({ ...hitLoad, url: bareUrl, durationSeconds: WARMUP_SECONDS });
    await load({ ...hitLoad, url, durationSeconds: WARMUP_SECONDS });
    const bareRounds: LoadResult[] = [];
    const facadeRounds: LoadResult[] = [];
    const roundSeconds = Math.max(1, Math.round(SECONDS / HIT_ROUNDS));
    for (let round = 0; round < HIT_ROUNDS; round += 1) {
      bareRounds.push(await load({ ...hitLoad, url: bareUrl, durationSeconds: roundSeconds }));
      facadeRounds.push(await load({ ...hitLoad, url, durationSeconds: roundSeconds }));
    }
    for (const r of bareRounds) clean(r, 'bare');
    for (const r of facadeRounds) clean(r, 'facade cache hits');
    const bareHits = combined(bareRounds);
    const facadeHits = combined(facadeRounds);

    const iti38Url = gateways.communities[0]?.iti38Url ?? '';
    const direct = await load({ url: iti38Url, connections: CONNECTIONS, durationSeconds: SECONDS, method: 'POST', body: '<bench/>' });
    const callers = await Promise.all(Array.from({ length: CONNECTIONS }, (_u, i) => facade.auth.headersFor(`R9Z${String(10 + i)}`)));
    const missLoad = { url, connections: CONNECTIONS, headersPerConnection: callers.map((h) => ({ ...h, 'Cache-Control': 'no-cache' })) };
    await load({ ...missLoad, durationSeconds: WARMUP_SECONDS });
    const misses = await load({ ...missLoad, durationSeconds: SECONDS });
    const serial = await load({ ...missLoad, headersPerConnection: missLoad.headersPerConnection.slice(0, 1), durationSeconds: SECONDS });
    clean(direct, 'gateway direct');
    clean(misses, 'facade cache misses');
    clean(serial, 'facade cache misses, one connection');
    if (misses.latencyMs.p50 < DELAY_MS) throw new Error('cache-miss searches answered faster than the upstream delay: the misses were not forced');

    const parseFloorMs = round(bareParseMs(gateways.communities[0]?.homeCommunityId ?? ''), 2);
    const ratio = round(facadeHits.requestsPerSecond / bareHits.requestsPerSecond, 2);
    const addedP50 = round(misses.latencyMs.p50 - DELAY_MS, 2);
    const addedP99 = round(misses.latencyMs.p99 - DELAY_MS, 2);
    const checks: Check[] = [
      { name: 'cache-hit throughput (req/s) vs bare Express', value: facadeHits.requestsPerSecond, baseline: bareHits.requestsPerSecond, ratio, target: '>= 0.7 x bare', pass: ratio >= 0.7 },
      { name: `cache-miss added latency p50 (ms over ${DELAY_MS} ms delay)`, value: addedP50, target: '< 5 ms', pass: addedP50 < 5 },
      { name: `cache-miss added latency p99 (ms over ${DELAY_MS} ms delay)`, value: addedP99, target: '< 20 ms', pass: addedP99 < 20 },
      { name: 'cache-miss added latency p50, one connection (ms)', value: round(serial.latencyMs.p50 - DELAY_MS, 2), target: 'info', pass: true },
      { name: `bare saxes parse of the same ${DOCUMENTS}-entry answer (ms)`, value: parseFloorMs, target: 'info', pass: true },
    ];
    emit({
      benchmark: 'search',
      seconds: SECONDS,
      connections: CONNECTIONS,
      documents: DOCUMENTS,
      upstreamDelayMs: DELAY_MS,
      bundleBytes: Buffer.byteLength(text),
      cacheHit: { facade: figures(facadeHits), bare: figures(bareHits), ratio, rounds: { bareRps: bareRounds.map((r) => r.requestsPerSecond), facadeRps: facadeRounds.map((r) => r.requestsPerSecond) } },
      cacheMiss: {
        facade: figures(misses),
        facadeOneConnection: figures(serial),
        gatewayDirect: figures(direct),
        addedOverDelayMs: { p50: addedP50, p99: addedP99 },
        bareSaxesParseMs: parseFloorMs,
        addedOverGatewayMs: { p50: round(misses.latencyMs.p50 - direct.latencyMs.p50, 2), p99: round(misses.latencyMs.p99 - direct.latencyMs.p99, 2) },
      },
      checks,
    });
  } finally {
    await bare?.stop();
    await facade.stop();
    await gateways.stop();
  }
}

runBenchmark('search', main, 5 * 60_000);
