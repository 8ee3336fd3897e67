import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCannedGateways } from './lib/canned';
import { searchUrl, startFacade } from './lib/facade';
import { BENCH_PATIENT } from './lib/iti38-fixture';
import { load } from './lib/load';
import { envNumber } from './lib/report';

/**
 * bench:profile — a V8 CPU profile of the facade under one benchmark's load, summarised by where the time goes.
 * Not a benchmark (no target, no table): a tool for finding what to change next.
 *
 *   npm run bench:profile -- hit|miss|fanout [seconds]
 *
 * hit: repeated identical searches (cache hits), 4 connections. miss: Cache-Control: no-cache searches, one caller
 * per connection (as bench:search). fanout: 10 communities × 5 documents, one connection, no-cache.
 * Prints the busy share, the top functions by self time and self time grouped by source file (src/… for the facade's
 * own code, the package name for node_modules, (gc), (idle), (program) and node: for the runtime). The raw profile
 * stays in the printed directory for Chrome DevTools. BENCH_PROFILE_TOP (30) sets how many rows each list has,
 * BENCH_PROFILE_CONNECTIONS (4) the connections of hit and miss, BENCH_PROFILE_V8=0 leaves the profiler off.
 */
const TOP = envNumber('BENCH_PROFILE_TOP', 30);
/** BENCH_PROFILE_V8=0: no V8 profiler (it roughly doubles the CPU per request); only the CPU time read from /proc. */
const V8_PROFILE = process.env.BENCH_PROFILE_V8 !== '0';
/** Connections of the hit and miss loads (4, as bench:search; fan-out always uses one). */
const CONNECTIONS = envNumber('BENCH_PROFILE_CONNECTIONS', 4);

/** CPU time (user + system, ms) used so far, from a /proc stat file (clock ticks of 10 ms). */
function cpuMsIn(statFile: string): number {
  const fields = fs.readFileSync(statFile, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time of a process: [whole process, main thread] (the rest is libuv's pool, V8's GC helpers and the like). */
function cpuMsOf(pid: number): [number, number] {
  return [cpuMsIn(`/proc/${pid}/stat`), cpuMsIn(`/proc/${pid}/task/${pid}/stat`)];
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Where a frame's code lives: the facade's file, a package, or the runtime. */
function placeOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return url;
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') === true ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? url);
  }
  const dist = url.indexOf('/dist/');
  return dist >= 0 ? url.slice(dist + '/dist/'.length) : url;
}

function summarise(profile: CpuProfile, requests: number): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  let idle = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (node === undefined) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const place = placeOf(url, functionName);
    if (functionName === '(idle)') idle += us;
    const name = `${functionName || '(anonymous)'} ${place}${url === '' ? '' : `:${lineNumber + 1}`}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    byPlace.set(place, (byPlace.get(place) ?? 0) + us);
  }
  const busy = total - idle;
  const print = (title: string, rows: Map<string, number>): void => {
    console.log(`\n${title} (ms, % of busy)`);
    for (const [name, us] of [...rows].filter(([n]) => !n.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
      console.log(`${(us / 1000).toFixed(1).padStart(9)}  ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${name}`);
    }
  };
  console.log(`profiled ${(total / 1000).toFixed(0)} ms, busy ${(busy / 1000).toFixed(0)} ms (${((100 * busy) / total).toFixed(0)} %, start-up included), ${requests} requests under load`);
  print('self time by function', byFunction);
  print('self time by place', byPlace);
}

async function main(): Promise<void> {
  const mode = process.argv[2] ?? 'hit';
  const seconds = Number(process.argv[3] ?? 10);
  if (!['hit', 'miss', 'fanout'].includes(mode) || !(seconds > 0)) throw new Error('usage: bench:profile -- hit|miss|fanout [seconds]');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-profile-'));
  const specs = mode === 'fanout' ? Array.from({ length: 10 }, () => ({ delayMs: 200, documents: 5, timeoutMs: 10_000 })) : [{ delayMs: 50, documents: 50, timeoutMs: 10_000 }];
  const gateways = await startCannedGateways(specs);
  let requests = 0;
  const facade = await startFacade(gateways.communities, V8_PROFILE ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] } : {});
  try {
    const url = searchUrl(facade.fhir, BENCH_PATIENT);
    const first = await fetch(url, { headers: facade.headers });
    await first.arrayBuffer();
    if (first.status !== 200) throw new Error(`warm-up search: HTTP ${first.status}`);
    const pid = facade.facade.process.pid ?? 0;
    const cpuBefore = cpuMsOf(pid);
    if (mode === 'hit') {
      requests = (await load({ url, connections: CONNECTIONS, durationSeconds: seconds, headers: facade.headers })).requests;
    } else {
      const callers = await Promise.all(Array.from({ length: mode === 'miss' ? CONNECTIONS : 1 }, (_u, i) => facade.auth.headersFor(`R9Z${String(10 + i)}`)));
      requests = (await load({ url, connections: callers.length, durationSeconds: seconds, headersPerConnection: callers.map((h) => ({ ...h, 'Cache-Control': 'no-cache' })) })).requests;
    }
    const [all, main] = cpuMsOf(pid).map((ms, i) => ms - (cpuBefore[i] ?? 0)) as [number, number];
    const per = (ms: number): string => (ms / Math.max(1, requests)).toFixed(3);
    console.log(`facade CPU under load: ${all} ms for ${requests} requests, ${per(all)} ms per request (main thread ${per(main)} ms, other threads ${per(all - main)} ms)${V8_PROFILE ? ', V8 profiler on' : ''}`);
  } finally {
    await facade.stop();
    await gateways.stop();
  }
  if (!V8_PROFILE) return;
  const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (file === undefined) throw new Error(`no profile written in ${dir}`);
  console.log(`profile: ${path.join(dir, file)}`);
  summarise(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile, requests);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
