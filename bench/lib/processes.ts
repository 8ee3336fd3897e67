import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Benchmarks run every party in its own process so each one's memory can be read from /proc. */
export const ROOT = path.resolve(__dirname, '../../..');

export interface Child {
  readonly process: ChildProcess;
  /** Output lines (stdout and stderr), the latest MAX_LINES kept. */
  readonly lines: string[];
  stop(): Promise<void>;
}

/** How startNode runs a script beyond its environment. */
export interface StartOptions {
  readonly timeoutMs?: number;
  /** Node options before the script, e.g. ['--expose-gc', '--require', file]. */
  readonly nodeArgs?: readonly string[];
  /** Called with every output line, also after ready (a long run reads its probes this way). */
  readonly onLine?: (line: string) => void;
}

/** A facade at info level logs every request: keep only the recent lines so a long run stays bounded. */
const MAX_LINES = 5000;
const live = new Set<ChildProcess>();
// A benchmark that dies must not leave its servers running: kill what is still alive on the way out.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Start `node <script>` and wait until a stdout/stderr line matches `ready`. A number is the timeout (ms). */
export async function startNode(script: string, env: NodeJS.ProcessEnv, ready: RegExp, options: number | StartOptions = {}): Promise<Child> {
  const opts: StartOptions = typeof options === 'number' ? { timeoutMs: options } : options;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), path.join(ROOT, script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  const lines: string[] = [];
  let partial = '';
  await new Promise<void>((resolve, reject) => {
    let started = false;
    const timer = setTimeout(() => reject(new Error(`${script} not ready after ${timeoutMs} ms:\n${lines.join('\n')}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        if (line === '') continue;
        lines.push(line);
        if (lines.length > MAX_LINES) lines.splice(0, lines.length - MAX_LINES);
        opts.onLine?.(line);
        if (!started && ready.test(line)) {
          started = true;
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}:\n${lines.join('\n')}`));
    });
  });
  return {
    process: child,
    lines,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

/** Resident set size of a process in bytes (Linux /proc). */
export function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return Number(kb ?? 0) * 1024;
}

/** Sample a process's RSS every `everyMs` until stopped; returns the peak. */
export function sampleRss(pid: number, everyMs = 50): { stop(): number } {
  let peak = rssOf(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssOf(pid));
    } catch {
      /* process gone */
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

export const MiB = 1024 * 1024;

/** Median of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
