import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './lib/processes';
import type { BenchResult } from './lib/report';
import { checksOf, renderTable, type RetrieveLine } from './lib/table';

/**
 * `npm run bench`: every benchmark in turn, each in its own process (node dist/bench/<name>.js, which starts its
 * own servers), then ONE table of all checks with the ratios against the baselines measured in the same run, and
 * bench/results/latest.json (git-ignored) with every figure. bench:soak joins only with BENCH_SOAK=1.
 * BENCH_ONLY=search,parse runs a subset. Exits 1 if a benchmark failed to run (not if a target was missed).
 */
const ALL = ['retrieve', 'search', 'fanout', 'parse', 'soak'] as const;
const LIMIT_MS = 20 * 60_000;

function selected(): string[] {
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (only !== undefined && only.length > 0) return ALL.filter((b) => only.includes(b));
  return ALL.filter((b) => b !== 'soak' || process.env.BENCH_SOAK === '1');
}

/** Run one benchmark; its last stdout line is its result. stderr goes straight through. */
function run(name: string): Promise<BenchResult | RetrieveLine> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/bench', `${name}.js`)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) return reject(new Error(`bench:${name} exited with ${code}`));
      resolve(JSON.parse(last) as BenchResult | RetrieveLine);
    });
  });
}

async function main(): Promise<void> {
  const results: Array<BenchResult | RetrieveLine> = [];
  const failed: string[] = [];
  for (const name of selected()) {
    process.stderr.write(`running bench:${name} ...\n`);
    try {
      const result = await run(name);
      process.stderr.write(`${JSON.stringify(result)}\n`);
      results.push(result);
    } catch (err) {
      failed.push(name);
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  const rows = results.flatMap((r) => checksOf(r).map((check) => ({ benchmark: r.benchmark, check })));
  process.stdout.write(`${renderTable(rows)}\n`);
  const machine = { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
  const dir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify({ date: new Date().toISOString(), machine, failed, results }, null, 2)}\n`);
  if (failed.length > 0) {
    process.stderr.write(`failed to run: ${failed.join(', ')}\n`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
