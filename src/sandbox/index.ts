import { startSandboxGateway, type SandboxGateway } from './gateway';
import { loadSandboxSeed } from './seed';
import { SandboxDataError } from './json-table';
import { largeDocumentBytes } from './settings';
import { SANDBOX_PKI_GATEWAYS, type SandboxSecurity } from './security/options';

/**
 * The default sandbox: "Sandbox Community A" and "Sandbox Community B", two strict XCA Responding Gateways on
 * loopback seeded with synthetic NHS patients (src/sandbox/seed/community-a.json, community-b.json). The facade
 * starts it when no real communities are configured; `communities` is in the shape its config wants, with the
 * initiator timeouts the seeds suggest (A 10000 ms, B 2000 ms, so B's 5000 ms delay for 9000000033 times out).
 * Both answer ITI-38, ITI-39 and RAD-75 (B holds the DICOM instances of 9000000009's CT study). With `security`
 * both demand what the National Imaging Registry demands: mutual TLS and a signed XUA assertion (security/).
 */
export { startSandboxGateway, type SandboxGateway, type SandboxGatewayOptions } from './gateway';
export { loadSandboxSeed, type SandboxSeed } from './seed';
export type { SandboxStats } from './stats';
export { ensureSandboxPki, SANDBOX_PKI_GATEWAYS, SANDBOX_PKI_HOSTS, type SandboxGatewaySecurity, type SandboxSecurity } from './security/options';

export interface SandboxCommunity {
  readonly homeCommunityId: string;
  readonly name: string;
  readonly iti38Url: string;
  readonly iti39Url: string;
  readonly rad75Url: string;
  readonly timeoutMs: number;
}

export interface Sandbox {
  readonly gateways: readonly [SandboxGateway, SandboxGateway];
  readonly communities: readonly SandboxCommunity[];
  close(): Promise<void>;
}

export interface StartSandboxOptions {
  readonly portA?: number;
  readonly portB?: number;
  /** Listen address of both gateways (default 127.0.0.1). */
  readonly host?: string;
  /** Size of the generated large document; default SANDBOX_LARGE_DOCUMENT_BYTES, else 256 MiB (settings.ts). */
  readonly largeDocumentBytes?: number;
  /**
   * Serve HTTPS with mutual TLS and verify the XUA assertion of every request, each gateway with its leaf of
   * `security.pki` (SANDBOX_PKI_GATEWAYS: sandbox-community-a, sandbox-community-b). Absent: plain HTTP.
   */
  readonly security?: SandboxSecurity;
}

interface GatewaySettings {
  readonly port: number | undefined;
  readonly host: string | undefined;
  readonly largeDocumentBytes: number;
  readonly security: SandboxSecurity | undefined;
}

async function startFromSeed(seedName: keyof typeof SANDBOX_PKI_GATEWAYS, settings: GatewaySettings): Promise<{ gateway: SandboxGateway; timeoutMs: number }> {
  const seed = loadSandboxSeed(seedName);
  if (seed.community === undefined) throw new SandboxDataError(seedName, 'the default sandbox seeds must name their community');
  const { port, host, security } = settings;
  const gateway = await startSandboxGateway({
    name: seed.community.name,
    homeCommunityId: seed.community.homeCommunityId,
    seed,
    largeDocumentBytes: settings.largeDocumentBytes,
    ...(port !== undefined ? { port } : {}),
    ...(host !== undefined ? { host } : {}),
    ...(security !== undefined ? { security: { ...security, gatewayName: SANDBOX_PKI_GATEWAYS[seedName] } } : {}),
  });
  return { gateway, timeoutMs: seed.community.initiatorTimeoutMs };
}

function toCommunity(gateway: SandboxGateway, timeoutMs: number): SandboxCommunity {
  const { homeCommunityId, name, iti38Url, iti39Url, rad75Url } = gateway;
  return { homeCommunityId, name, iti38Url, iti39Url, rad75Url, timeoutMs };
}

/**
 * Start both sandbox gateways (ephemeral ports unless given). The facade's sandbox mode calls this without
 * options, so the large document's size falls back to SANDBOX_LARGE_DOCUMENT_BYTES here.
 */
export async function startSandbox(opts: StartSandboxOptions = {}): Promise<Sandbox> {
  const common = { host: opts.host, largeDocumentBytes: opts.largeDocumentBytes ?? largeDocumentBytes(undefined), security: opts.security };
  const a = await startFromSeed('community-a', { ...common, port: opts.portA });
  let b: { gateway: SandboxGateway; timeoutMs: number };
  try {
    b = await startFromSeed('community-b', { ...common, port: opts.portB });
  } catch (err) {
    await a.gateway.close();
    throw err;
  }
  return {
    gateways: [a.gateway, b.gateway],
    communities: [toCommunity(a.gateway, a.timeoutMs), toCommunity(b.gateway, b.timeoutMs)],
    close: async () => {
      await Promise.all([a.gateway.close(), b.gateway.close()]);
    },
  };
}
