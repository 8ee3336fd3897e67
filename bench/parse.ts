import { execFileSync } from 'node:child_process';
import { cannedIti38Answer } from './lib/iti38-fixture';
import { measure, PARSE_HOME, type ParseMode } from './lib/parse-modes';
import { median } from './lib/processes';
import { emit, envNumber, runBenchmark, type Check } from './lib/report';
import { round } from './lib/stats';

/**
 * bench:parse — one ITI-38 answer of 1,000 LeafClass DocumentEntries (written by the sandbox's response writer)
 * parsed and mapped to a searchset Bundle the way a search does it (parseAdhocQueryResponse, toCommunityAnswer,
 * searchsetBundle), against the bare parse of the same bytes by saxes (namespace-aware, start tags and text) and by
 * fast-xml-parser. Bytes arrive in 64 KiB chunks, one per event-loop turn, as from a socket. Each measurement runs
 * in a fresh process (lib/parse-modes.ts says why): median of BENCH_PARSE_RUNS runs after two warm-up runs.
 * The longest event-loop block during parse+map comes from a setImmediate probe (the gap between two turns).
 * Targets: parse+map within 2x the bare saxes parse; no block > 50 ms.
 */
const DOCUMENTS = envNumber('BENCH_PARSE_DOCUMENTS', 1000);
const RUNS = envNumber('BENCH_PARSE_RUNS', 7);
/**
 * parse+map and bare saxes are measured in alternating rounds (a fresh process each), and the ratio is the median
 * of the rounds' ratios: measured one after the other on a shared machine, load drifting between the two moved a
 * single run's ratio by +-40 %.
 */
const ROUNDS = envNumber('BENCH_PARSE_ROUNDS', 3);

/** Child mode: `node parse.js <mode>` prints the durations of one mode as JSON. */
async function child(mode: ParseMode): Promise<void> {
  const bytes = Buffer.from(cannedIti38Answer({ documents: DOCUMENTS, home: PARSE_HOME }), 'utf8');
  process.stdout.write(`${JSON.stringify({ bytes: bytes.length, values: await measure(mode, bytes, RUNS, DOCUMENTS) })}\n`);
}

function inFreshProcess(mode: ParseMode): { bytes: number; values: number[] } {
  const out = execFileSync(process.execPath, [__filename, mode], { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as { bytes: number; values: number[] };
}

async function main(): Promise<void> {
  const rounds: Array<{ parseMapMs: number; saxesMs: number }> = [];
  const parseMapValues: number[] = [];
  const saxesValues: number[] = [];
  let bytes = 0;
  for (let r = 0; r < ROUNDS; r += 1) {
    const parseMap = inFreshProcess('parseMap');
    const saxes = inFreshProcess('saxes');
    bytes = parseMap.bytes;
    parseMapValues.push(...parseMap.values);
    saxesValues.push(...saxes.values);
    rounds.push({ parseMapMs: median(parseMap.values), saxesMs: median(saxes.values) });
  }
  const fxp = inFreshProcess('fastXmlParser');
  const block = inFreshProcess('block');
  const parseMapMs = median(rounds.map((r) => r.parseMapMs));
  const saxesMs = median(rounds.map((r) => r.saxesMs));
  const fxpMs = median(fxp.values);
  const blockMs = Math.max(...block.values);
  const ratio = round(median(rounds.map((r) => r.parseMapMs / r.saxesMs)), 2);
  const checks: Check[] = [
    { name: `parse+map ${DOCUMENTS} entries (ms) vs bare saxes (median of ${ROUNDS} alternating rounds)`, value: round(parseMapMs), baseline: round(saxesMs), ratio, target: '<= 2 x saxes', pass: ratio <= 2 },
    { name: 'parse+map (ms) vs bare fast-xml-parser', value: round(parseMapMs), baseline: round(fxpMs), ratio: round(parseMapMs / fxpMs, 2), target: 'info', pass: true },
    { name: 'longest event-loop block in parse+map (ms)', value: round(blockMs), target: '< 50 ms', pass: blockMs < 50 },
  ];
  emit({
    benchmark: 'parse',
    documents: DOCUMENTS,
    bytes,
    runs: RUNS,
    rounds: rounds.map((r) => ({ parseMapMs: round(r.parseMapMs), saxesMs: round(r.saxesMs), ratio: round(r.parseMapMs / r.saxesMs, 2) })),
    medianMs: { parseMap: round(parseMapMs), saxes: round(saxesMs), fastXmlParser: round(fxpMs) },
    rangeMs: { parseMap: [round(Math.min(...parseMapValues)), round(Math.max(...parseMapValues))], saxes: [round(Math.min(...saxesValues)), round(Math.max(...saxesValues))] },
    longestBlockMs: round(blockMs),
    checks,
  });
}

const mode = process.argv[2] as ParseMode | undefined;
runBenchmark('parse', mode === undefined ? main : () => child(mode), 10 * 60_000);
