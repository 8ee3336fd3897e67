import { performance } from 'node:perf_hooks';
import { summarise, type LatencySummary } from './stats';

/** One request of a steady load. */
export interface SteadyRequest {
  readonly kind: string;
  readonly url: string;
  readonly headers: Record<string, string>;
}

export interface SteadyResult {
  readonly requests: number;
  readonly errors: number;
  /** The first few errors, for the report (status or message; never a body). */
  readonly firstErrors: string[];
  readonly latencyMs: LatencySummary;
  readonly byKind: Record<string, { requests: number; errors: number }>;
}

/**
 * Open-loop load at a fixed rate: request i is sent at i / rate seconds whatever the earlier ones are doing (so a
 * slow facade meets a growing backlog, as it would in service). Stops sending after `seconds`, then waits for the
 * requests in flight.
 */
export async function steadyLoad(options: {
  readonly ratePerSecond: number;
  readonly seconds: number;
  readonly next: (i: number) => SteadyRequest;
}): Promise<SteadyResult> {
  const latencies: number[] = [];
  const firstErrors: string[] = [];
  const byKind: Record<string, { requests: number; errors: number }> = {};
  let errors = 0;
  const inFlight = new Set<Promise<void>>();
  const fail = (why: string): void => {
    errors += 1;
    if (firstErrors.length < 5) firstErrors.push(why);
  };
  const send = (i: number): void => {
    const request = options.next(i);
    const tally = (byKind[request.kind] ??= { requests: 0, errors: 0 });
    tally.requests += 1;
    const started = performance.now();
    const done = fetch(request.url, { headers: request.headers, signal: AbortSignal.timeout(30_000) })
      .then(async (res) => {
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${request.kind}: HTTP ${res.status}`);
        latencies.push(performance.now() - started);
      })
      .catch((err: unknown) => {
        tally.errors += 1;
        fail(err instanceof Error ? err.message : String(err));
      })
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  };
  const total = Math.round(options.ratePerSecond * options.seconds);
  const start = performance.now();
  for (let i = 0; i < total; i += 1) {
    const due = start + (i * 1000) / options.ratePerSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    send(i);
  }
  await Promise.all([...inFlight]);
  return { requests: total, errors, firstErrors, latencyMs: summarise(latencies), byKind };
}
