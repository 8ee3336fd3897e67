import autocannon from 'autocannon';
import { summarise, round, type LatencySummary } from './stats';

/** One autocannon phase. */
export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /**
   * Separate headers per connection (overrides `connections`): one closed-loop autocannon instance per entry, run
   * side by side, their figures merged. Used to give each connection its own caller.
   */
  readonly headersPerConnection?: ReadonlyArray<Record<string, string>>;
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly requests: number;
  /** From autocannon's own 'response' events (sub-millisecond, unlike its integer histogram); 2xx only. */
  readonly latencyMs: LatencySummary;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
}

interface Raw {
  readonly result: autocannon.Result;
  readonly latencies: number[];
}

function runOne(options: LoadOptions, connections: number, headers: Record<string, string>): Promise<Raw> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections,
        duration: options.durationSeconds,
        method: options.method ?? 'GET',
        headers,
        ...(options.body !== undefined ? { body: options.body } : {}),
      },
      (err: unknown, result: autocannon.Result) => {
        if (err) reject(err instanceof Error ? err : new Error(String(err)));
        else resolve({ result, latencies });
      },
    );
    // Instance 'response' events carry (client, status, bytes, ms) with hrtime precision.
    (instance as NodeJS.EventEmitter).on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) latencies.push(ms);
    });
  });
}

/** Run one autocannon phase (bounded by duration) against `url`, closed-loop. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const runs = options.headersPerConnection
    ? await Promise.all(options.headersPerConnection.map((h) => runOne(options, 1, { ...options.headers, ...h })))
    : [await runOne(options, options.connections, options.headers ?? {})];
  const sum = (pick: (r: autocannon.Result) => number): number => runs.reduce((s, r) => s + pick(r.result), 0);
  const seconds = Math.max(...runs.map((r) => r.result.duration));
  return {
    requestsPerSecond: round(sum((r) => r.requests.total) / seconds, 1),
    requests: sum((r) => r.requests.total),
    latencyMs: summarise(runs.flatMap((r) => r.latencies)),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
  };
}
