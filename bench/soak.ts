import path from 'node:path';
import { searchUrl } from './lib/facade';
import { MemoryProbe, type MemorySample } from './lib/memory-samples';
import { ROOT } from './lib/processes';
import { emit, envNumber, runBenchmark, type Check } from './lib/report';
import { startStack } from './lib/stack';
import { steadyLoad, type SteadyRequest } from './lib/steady-load';
import { round, slope } from './lib/stats';

/**
 * bench:soak — mixed searches and retrieves at a steady rate against the sandbox stack (sandbox gateways and
 * facade in their own processes). Per five requests: two cache-hit searches, one cache-miss search
 * (Cache-Control: no-cache), two Binary retrieves (ITI-68 -> ITI-39), for patient 9000000009.
 * The facade's retained heap (after a forced GC) and RSS are read every 10 s through a preloaded probe; the
 * slope of each over the run (MiB/min) says whether memory grows. Every non-200 answer is an error.
 * BENCH_SOAK_SECONDS (300) after a 10 s warm-up, BENCH_SOAK_RATE requests/s (20).
 * Targets: 0 errors; heap slope < 1 MiB/min; RSS slope < 2 MiB/min.
 */
const SECONDS = envNumber('BENCH_SOAK_SECONDS', 300);
const RATE = envNumber('BENCH_SOAK_RATE', 20);
const WARMUP_SECONDS = 10;
const SAMPLE_EVERY_MS = 10_000;
const PATIENT = '9000000009';

async function sampleEvery(probe: MemoryProbe, until: () => boolean, into: MemorySample[]): Promise<void> {
  while (!until()) {
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
    if (!until()) into.push(await probe.take());
  }
}

async function main(): Promise<void> {
  const probe = new MemoryProbe();
  const stack = await startStack({
    sandbox: { SANDBOX_LARGE_DOCUMENT_BYTES: String(1024 * 1024) },
    facadeNodeArgs: ['--expose-gc', '--require', path.join(ROOT, 'dist/bench/servers/memory-probe.js')],
    onFacadeLine: probe.onLine,
  });
  probe.attach(stack.facade);
  try {
    const search = searchUrl(stack.fhir, PATIENT);
    const first = await fetch(search, { headers: stack.headers });
    const bundle = (await first.json()) as { entry?: Array<{ resource: { resourceType: string; content?: Array<{ attachment: { url: string } }> } }> };
    const binaries = (bundle.entry ?? []).flatMap((e) => (e.resource.resourceType === 'DocumentReference' ? [e.resource.content?.[0]?.attachment.url ?? ''] : []));
    if (first.status !== 200 || binaries.length === 0) throw new Error(`soak set-up search: HTTP ${first.status}, ${binaries.length} documents`);
    const noCache = { ...stack.headers, 'Cache-Control': 'no-cache' };
    const next = (i: number): SteadyRequest => {
      const slot = i % 5;
      if (slot === 4) return { kind: 'search-miss', url: search, headers: noCache };
      if (slot % 2 === 0) return { kind: 'search-hit', url: search, headers: stack.headers };
      return { kind: 'retrieve', url: binaries[i % binaries.length] as string, headers: stack.headers };
    };
    const warmup = await steadyLoad({ ratePerSecond: RATE, seconds: WARMUP_SECONDS, next });
    const samples: MemorySample[] = [await probe.take()];
    let finished = false;
    const sampling = sampleEvery(probe, () => finished, samples);
    const run = await steadyLoad({ ratePerSecond: RATE, seconds: SECONDS, next });
    finished = true;
    await sampling;
    samples.push(await probe.take());
    const t0 = samples[0]?.atSeconds ?? 0;
    const perMinute = (pick: (s: MemorySample) => number): number => round(slope(samples.map((s) => ({ x: (s.atSeconds - t0) / 60, y: pick(s) }))), 2);
    const heapSlope = perMinute((s) => s.heapUsedMiB);
    const rssSlope = perMinute((s) => s.rssMiB);
    const errors = run.errors + warmup.errors;
    const firstSample = samples[0];
    const lastSample = samples[samples.length - 1];
    const checks: Check[] = [
      { name: `errors in ${run.requests + warmup.requests} requests`, value: errors, target: '0', pass: errors === 0 },
      { name: 'facade heap slope after GC (MiB/min)', value: heapSlope, target: '< 1 MiB/min', pass: heapSlope < 1 },
      { name: 'facade RSS slope (MiB/min)', value: rssSlope, target: '< 2 MiB/min', pass: rssSlope < 2 },
    ];
    emit({
      benchmark: 'soak',
      seconds: SECONDS,
      ratePerSecond: RATE,
      requests: run.requests,
      errors,
      firstErrors: [...warmup.firstErrors, ...run.firstErrors].slice(0, 5),
      byKind: run.byKind,
      latencyMs: run.latencyMs,
      heapMiB: { start: round(firstSample?.heapUsedMiB ?? 0), end: round(lastSample?.heapUsedMiB ?? 0), slopePerMinute: heapSlope },
      rssMiB: { start: round(firstSample?.rssMiB ?? 0), end: round(lastSample?.rssMiB ?? 0), slopePerMinute: rssSlope },
      samples: samples.map((s) => ({ t: round(s.atSeconds - t0), heapMiB: round(s.heapUsedMiB), rssMiB: round(s.rssMiB) })),
      checks,
    });
  } finally {
    await stack.stop();
  }
}

runBenchmark('soak', main, (envNumber('BENCH_SOAK_SECONDS', 300) + 180) * 1000);
