import type { BenchCommunity } from './facade';
import { startNode, type Child } from './processes';

/** One canned responding gateway: its community, its fixed delay, how many documents it answers with. */
export interface CannedSpec {
  readonly delayMs: number;
  readonly documents: number;
  /** The facade's timeout for this community (COMMUNITIES_FILE timeoutMs). */
  readonly timeoutMs: number;
}

/** The running canned gateways (one process, one listener each) and the communities the facade should ask. */
export interface CannedGateways {
  readonly process: Child;
  readonly communities: BenchCommunity[];
  stop(): Promise<void>;
}

/** Start listeners answering after fixed delays; community i is urn:oid:2.999.77.<i+1> ("Bench community i+1"). */
export async function startCannedGateways(specs: readonly CannedSpec[]): Promise<CannedGateways> {
  const homes = specs.map((_s, i) => `urn:oid:2.999.77.${i + 1}`);
  const gateways = specs.map((s, i) => ({ homeCommunityId: homes[i], delayMs: s.delayMs, documents: s.documents }));
  const child = await startNode('dist/bench/servers/canned-gateway.js', { BENCH_GATEWAYS: JSON.stringify(gateways) }, /cannedGateways/);
  const line = child.lines.find((l) => l.includes('cannedGateways')) ?? '{}';
  const announced = (JSON.parse(line) as { cannedGateways: Array<{ iti38Url: string }> }).cannedGateways;
  const communities = specs.map((s, i) => ({
    homeCommunityId: homes[i] as string,
    name: `Bench community ${i + 1}`,
    iti38Url: announced[i]?.iti38Url ?? '',
    timeoutMs: s.timeoutMs,
  }));
  return { process: child, communities, stop: () => child.stop() };
}
