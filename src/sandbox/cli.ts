import { startSandbox, type Sandbox } from './index';
import { sandboxSettings } from './settings';

/**
 * `npm run sandbox`: runs the two sandbox responding gateways alone, for integrators testing their own
 * initiating gateway. Ports from SANDBOX_A_PORT / SANDBOX_B_PORT (default 9081 / 9082), listen address from
 * SANDBOX_HOST (default 127.0.0.1), the large document's size from SANDBOX_LARGE_DOCUMENT_BYTES (settings.ts).
 * Writes one JSON line per gateway to stdout (name, homeCommunityId, URLs) and closes cleanly on SIGINT / SIGTERM.
 */
export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  write(line: string): void;
}

/** Start the sandbox and announce it; returns the running sandbox. */
export async function runSandboxCli(io: CliIo): Promise<Sandbox> {
  const sandbox = await startSandbox(sandboxSettings(io.env));
  for (const g of sandbox.gateways) {
    io.write(`${JSON.stringify({ name: g.name, homeCommunityId: g.homeCommunityId, iti38Url: g.iti38Url, iti39Url: g.iti39Url, rad75Url: g.rad75Url, statsUrl: `${g.baseUrl}/_sandbox/stats` })}\n`);
  }
  return sandbox;
}

function main(): void {
  runSandboxCli({ env: process.env, write: (line) => process.stdout.write(line) }).then(
    (sandbox) => {
      const stop = (): void => {
        sandbox.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (err: unknown) => {
      process.stderr.write(`sandbox failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}

if (require.main === module) main();
