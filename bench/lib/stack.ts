import { startFacade, type FacadeOptions } from './facade';
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

export async function startStack(
  env: { sandbox?: NodeJS.ProcessEnv; facade?: NodeJS.ProcessEnv; facadeNodeArgs?: readonly string[]; onFacadeLine?: (line: string) => void } = {},
): Promise<BenchStack> {
  // Plain HTTP between the benchmark's processes: the benchmarks measure the facade's work, not TLS (BENCHMARKS.md).
  const sandbox = await startNode('dist/src/sandbox/cli.js', { SANDBOX_A_PORT: '0', SANDBOX_B_PORT: '0', SANDBOX_INSECURE: 'true', ...env.sandbox }, /"security"/);
  const communities = sandbox.lines
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Partial<BenchStack['communities'][number]>)
    .filter((c): c is BenchStack['communities'][number] => typeof c.name === 'string');
  const options: FacadeOptions = {
    ...(env.facade ? { env: env.facade } : {}),
    ...(env.facadeNodeArgs ? { nodeArgs: env.facadeNodeArgs } : {}),
    ...(env.onFacadeLine ? { onLine: env.onFacadeLine } : {}),
  };
  const configured = communities.map((c, i) => ({ homeCommunityId: c.homeCommunityId, name: c.name, iti38Url: c.iti38Url, iti39Url: c.iti39Url, rad75Url: c.rad75Url, timeoutMs: i === 0 ? 30000 : 2000 }));
  const facade = await startFacade(configured, options).catch(async (err: unknown) => {
    await sandbox.stop();
    throw err;
  });
  return {
    sandbox,
    facade: facade.facade,
    fhir: facade.fhir,
    headers: facade.headers,
    communities,
    stop: async () => {
      await facade.stop();
      await sandbox.stop();
    },
  };
}
