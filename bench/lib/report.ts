/**
 * What every benchmark prints: ONE JSON line with its raw figures and a list of checks (value against a target,
 * with the baseline measured in the same run where there is one). bench/all.ts turns the checks into the table.
 */
export interface Check {
  /** What is measured, e.g. "cache-hit throughput (req/s)". */
  readonly name: string;
  readonly value: number;
  /** The same measure for the baseline, in the same run. */
  readonly baseline?: number;
  /** What is compared with the target: value/baseline, or value itself when there is no ratio. */
  readonly ratio?: number;
  /** Human-readable target, e.g. ">= 0.7 x bare" or "< 5 ms". */
  readonly target: string;
  readonly pass: boolean;
}

export interface BenchResult {
  readonly benchmark: string;
  readonly checks: readonly Check[];
  readonly [figure: string]: unknown;
}

/** Print the result line (stdout, the one line a runner reads). */
export function emit(result: BenchResult): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/**
 * Run a benchmark's main under a watchdog: past `limitMs` the process exits 1 (its child processes are killed on
 * exit, bench/lib/processes.ts), so no run is unbounded.
 */
export function runBenchmark(name: string, main: () => Promise<void>, limitMs: number): void {
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench:${name} exceeded its ${Math.round(limitMs / 1000)} s limit\n`);
    process.exit(1);
  }, limitMs);
  watchdog.unref();
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`bench:${name} failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}

/** A number from the environment (benchmarks' knobs), or the default. */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}
