import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { XMLParser } from 'fast-xml-parser';
import { SaxesParser } from 'saxes';
import { toCommunities } from '../../src/config/config';
import { searchsetBundle } from '../../src/fhir/bundle';
import { mapEntries, toCommunityAnswer } from '../../src/interactions/community-answer';
import { parseAdhocQueryResponse } from '../../src/xca/iti38/response-parser';
import { BENCH_PATIENT } from './iti38-fixture';

/**
 * The measured work of bench:parse. Each mode runs in a process of its own: saxes' code is shared by every parser
 * in a process, and a parser with many handlers (the facade's) slows every other saxes parser in the same process
 * (V8 inline caches go megamorphic), so measuring them side by side would flatter the facade.
 */
export type ParseMode = 'parseMap' | 'saxes' | 'fastXmlParser' | 'block';

const HOME = 'urn:oid:2.999.77.1';
const BASE_URL = 'http://127.0.0.1:8080/fhir';
const CHUNK = 64 * 1024;

/** The community the canned answer comes from. */
export const PARSE_HOME = HOME;

/** The bytes cut into 64 KiB chunks (the size a socket read typically gives). */
export function chunksOf(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += CHUNK) out.push(bytes.subarray(i, Math.min(i + CHUNK, bytes.length)));
  return out;
}

/** The chunks one per event-loop turn, as a socket delivers them. */
async function* arriving(chunks: readonly Buffer[]): AsyncGenerator<Buffer> {
  for (const chunk of chunks) {
    await nextTurn();
    yield chunk;
  }
}

/** What a search does with one community's answer: parse, map to DocumentReferences, wrap in a Bundle. */
export async function parseAndMap(chunks: readonly Buffer[]): Promise<number> {
  const community = toCommunities([{ homeCommunityId: HOME, name: 'Bench community 1', iti38Url: 'http://127.0.0.1:1/xca/iti38' }], 'bench', true)[0];
  if (community === undefined) throw new Error('no community');
  const read = mapEntries(community, { nhsNumber: BENCH_PATIENT, baseUrl: BASE_URL });
  const response = await parseAdhocQueryResponse(arriving(chunks), { maxBytes: 64 * 1024 * 1024, read });
  const answer = toCommunityAnswer({ community, ok: true, value: response, durationMs: 0 });
  const bundle = searchsetBundle({ baseUrl: BASE_URL, matches: answer.documents, total: answer.documents.length, links: [] });
  return bundle.entry?.length ?? 0;
}

/** Bare saxes, namespace-aware as the facade uses it, counting start tags and text nodes. */
export function bareSaxes(chunks: readonly Buffer[]): number {
  const parser = new SaxesParser({ xmlns: true });
  let events = 0;
  parser.on('opentag', () => {
    events += 1;
  });
  parser.on('text', () => {
    events += 1;
  });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const chunk of chunks) parser.write(decoder.decode(chunk, { stream: true }));
  parser.close();
  return events;
}

/** Bare fast-xml-parser: the whole document in one call, attributes kept. */
export function bareFastXmlParser(bytes: Buffer): number {
  const parsed = new XMLParser({ ignoreAttributes: false }).parse(bytes) as Record<string, unknown>;
  return Object.keys(parsed).length;
}

/** Longest gap between two event-loop turns while `work` runs (a setImmediate chain), and the histogram's max. */
export async function longestBlock(work: () => Promise<unknown>): Promise<{ probeMs: number; histogramMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  let running = true;
  let longest = 0;
  let last = performance.now();
  const probe = (): void => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setImmediate(probe);
  };
  setImmediate(probe);
  await work();
  // The gap that ends with work() (a synchronous tail such as the mapping) is only seen by the next probe turn.
  await nextTurn();
  running = false;
  histogram.disable();
  return { probeMs: longest, histogramMs: histogram.max / 1e6 };
}

/** Run one mode `runs` times after two warm-up runs; durations in ms (for 'block': the longest blocks). */
export async function measure(mode: ParseMode, bytes: Buffer, runs: number, documents: number): Promise<number[]> {
  const chunks = chunksOf(bytes);
  const once = async (): Promise<number> => {
    if (mode === 'block') return (await longestBlock(() => parseAndMap(chunks))).probeMs;
    const started = performance.now();
    const count = mode === 'parseMap' ? await parseAndMap(chunks) : mode === 'saxes' ? bareSaxes(chunks) : bareFastXmlParser(bytes);
    if (mode === 'parseMap' && count !== documents) throw new Error(`parse+map gave ${count} entries, not ${documents}`);
    return performance.now() - started;
  };
  const out: number[] = [];
  for (let run = 0; run < runs + 2; run += 1) {
    const value = await once();
    if (run >= 2) out.push(value);
  }
  return out;
}
