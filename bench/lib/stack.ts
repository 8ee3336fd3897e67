import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchAuth } from './auth';
import { startNode, type Child } from './processes';

/** The sandbox gateways and a facade pointed at them, each in its own process (built JS under dist/). */
export interface BenchStack {
  readonly sandbox: Child;
  readonly facade: Child;
  readonly fhir: string;
  /** Headers every request to the facade needs (its bearer token). */
  readonly headers: Record<string, string>;
  readonly communities: Array<{ homeCommunityId: string; name: string; iti38Url: string; iti39Url: string; rad75Url: string }>;
  stop(): Promise<void>;
}

export async function startStack(env: { sandbox?: NodeJS.ProcessEnv; facade?: NodeJS.ProcessEnv } = {}): Promise<BenchStack> {
  // Plain HTTP between the benchmark's processes: the benchmark measures streaming, not TLS (say so in BENCHMARKS.md).
  const sandbox = await startNode('dist/src/sandbox/cli.js', { SANDBOX_A_PORT: '0', SANDBOX_B_PORT: '0', SANDBOX_INSECURE: 'true', ...env.sandbox }, /"security"/);
  const communities = sandbox.lines
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Partial<BenchStack['communities'][number]>)
    .filter((c): c is BenchStack['communities'][number] => typeof c.name === 'string');
  const auth = await benchAuth();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'communities.json');
  fs.writeFileSync(
    file,
    JSON.stringify({ communities: communities.map((c, i) => ({ homeCommunityId: c.homeCommunityId, name: c.name, iti38Url: c.iti38Url, iti39Url: c.iti39Url, rad75Url: c.rad75Url, timeoutMs: i === 0 ? 30000 : 2000 })) }),
  );
  const facade = await startNode(
    'dist/src/server.js',
    { PORT: '0', HOST: '127.0.0.1', COMMUNITIES_FILE: file, ALLOW_INSECURE_UPSTREAM: 'true', LOG_LEVEL: 'info', ...auth.env, ...env.facade },
    /listening/,
  ).catch(async (err: unknown) => {
    await sandbox.stop();
    throw err;
  });
  const port = /"port":(\d+)/.exec(facade.lines.find((l) => l.includes('listening')) ?? '')?.[1];
  return {
    sandbox,
    facade,
    fhir: `http://127.0.0.1:${port}/fhir`,
    headers: auth.headers,
    communities,
    stop: async () => {
      await facade.stop();
      await sandbox.stop();
    },
  };
}
