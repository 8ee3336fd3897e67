import type { DemoPki } from '../security/pki/demo-pki';
import { startSandbox, type Sandbox } from './index';
import { ensureSandboxPki } from './security/options';
import { sandboxSettings, type SandboxSettings } from './settings';

/**
 * `npm run sandbox`: runs the two sandbox responding gateways alone, for integrators testing their own
 * initiating gateway. By default they are secured as the National Imaging Registry is: HTTPS demanding a client
 * certificate, and a signed XUA assertion on every request, from the demo PKI in SANDBOX_PKI_DIR (default
 * <project root>/.sandbox/pki, made on first start; SANDBOX_PKI_HOSTS adds names to the gateways' certificates).
 * SANDBOX_INSECURE=true serves plain HTTP instead. Ports from
 * SANDBOX_A_PORT / SANDBOX_B_PORT (default 9081 / 9082), listen address from SANDBOX_HOST (default 127.0.0.1),
 * the large document's size from SANDBOX_LARGE_DOCUMENT_BYTES (settings.ts).
 * Writes JSON lines to stdout: one per gateway (name, homeCommunityId, URLs), then one `security` line (the PKI
 * files an initiating gateway needs: root CA, client certificate chain and key; or a warning when insecure).
 * Closes cleanly on SIGINT / SIGTERM.
 */
export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  write(line: string): void;
}

const WILDCARDS = new Set(['0.0.0.0', '::']);

/** The demo PKI for these settings: the leaves also name SANDBOX_PKI_HOSTS, and SANDBOX_HOST when it is a specific address. */
function pkiFor(settings: SandboxSettings): Promise<DemoPki> {
  return ensureSandboxPki(settings.pkiDir, [...settings.pkiHosts, ...(WILDCARDS.has(settings.host) ? [] : [settings.host])]);
}

function securityLine(pki: DemoPki | undefined): Record<string, unknown> {
  if (pki === undefined) {
    return { security: 'none', warning: 'SANDBOX_INSECURE=true: plain HTTP and no WS-Security check. The National Imaging Registry would refuse such a connection; an initiating gateway must use mutual TLS and XUA there.' };
  }
  return {
    security: 'mutual TLS (a client certificate chaining to rootCaCert) and a signed XUA assertion (WS-Security) on every request',
    pki: { dir: pki.dir, rootCaCert: pki.rootCaCert, clientCertChain: pki.facade.chain, clientKey: pki.facade.key, intermediateCaCert: pki.intermediateCaCert },
  };
}

/** Start the sandbox and announce it; returns the running sandbox. */
export async function runSandboxCli(io: CliIo): Promise<Sandbox> {
  const settings = sandboxSettings(io.env);
  const pki = settings.insecure ? undefined : await pkiFor(settings);
  const sandbox = await startSandbox({
    portA: settings.portA, portB: settings.portB, host: settings.host, largeDocumentBytes: settings.largeDocumentBytes,
    ...(pki === undefined ? {} : { security: { pki } }),
  });
  for (const g of sandbox.gateways) {
    io.write(`${JSON.stringify({ name: g.name, homeCommunityId: g.homeCommunityId, iti38Url: g.iti38Url, iti39Url: g.iti39Url, rad75Url: g.rad75Url, statsUrl: `${g.baseUrl}/_sandbox/stats` })}\n`);
  }
  io.write(`${JSON.stringify(securityLine(pki))}\n`);
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
