import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchAuth, type BenchAuth } from './auth';
import { startNode, type Child } from './processes';

/** One community as the facade's COMMUNITIES_FILE names it. */
export interface BenchCommunity {
  readonly homeCommunityId: string;
  readonly name: string;
  readonly iti38Url: string;
  readonly iti39Url?: string;
  readonly rad75Url?: string;
  readonly timeoutMs?: number;
}

/** A facade process (built JS under dist/) pointed at the given communities over plain HTTP. */
export interface BenchFacade {
  readonly facade: Child;
  readonly fhir: string;
  readonly headers: Record<string, string>;
  readonly auth: BenchAuth;
  stop(): Promise<void>;
}

export interface FacadeOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly nodeArgs?: readonly string[];
  readonly onLine?: (line: string) => void;
}

/**
 * Start the facade in configured mode: plain HTTP upstream (ALLOW_INSECURE_UPSTREAM, the benchmarks measure the
 * facade's own work, not TLS), a throwaway token issuer, rate limiting out of the way, info-level request logs.
 */
export async function startFacade(communities: readonly BenchCommunity[], options: FacadeOptions = {}): Promise<BenchFacade> {
  const auth = await benchAuth();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'communities.json');
  fs.writeFileSync(file, JSON.stringify({ communities }));
  const facade = await startNode(
    'dist/src/server.js',
    { PORT: '0', HOST: '127.0.0.1', COMMUNITIES_FILE: file, ALLOW_INSECURE_UPSTREAM: 'true', LOG_LEVEL: 'info', ...auth.env, ...options.env },
    /listening/,
    { ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}), ...(options.onLine ? { onLine: options.onLine } : {}) },
  );
  const port = /"port":(\d+)/.exec(facade.lines.find((l) => l.includes('listening')) ?? '')?.[1];
  if (port === undefined) {
    await facade.stop();
    throw new Error('the facade did not announce its port');
  }
  return { facade, fhir: `http://127.0.0.1:${port}/fhir`, headers: auth.headers, auth, stop: () => facade.stop() };
}

/** The FHIR search URL of the benchmarks' patient (ITI-67, MHD patient.identifier with the NHS number system). */
export function searchUrl(fhir: string, nhsNumber: string, extra = ''): string {
  return `${fhir}/DocumentReference?patient.identifier=${encodeURIComponent(`https://fhir.nhs.uk/Id/nhs-number|${nhsNumber}`)}${extra}`;
}
