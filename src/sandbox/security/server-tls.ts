import fs from 'node:fs/promises';
import type { ServerOptions } from 'node:https';
import { createMtlsServerOptions } from '../../security/tls/mtls-agent';
import type { SandboxGatewaySecurity } from './options';

/**
 * The TLS side of a secured sandbox gateway, read from the demo PKI's files: node:https options that serve the
 * gateway's leaf + intermediate and refuse any client without a certificate chaining to the demo root (the
 * handshake fails; nothing is served), and the anchors its WS-Security check trusts for the XUA signer.
 */
export interface GatewayTls {
  readonly serverOptions: ServerOptions;
  /** Demo root and intermediate: the facade signs with a leaf of the intermediate and sends only that leaf in KeyInfo. */
  readonly trustedCertsPem: readonly string[];
}

/** Read the gateway's key material; throws an Error naming the gateway when the PKI has no leaf for it. */
export async function loadGatewayTls(security: SandboxGatewaySecurity): Promise<GatewayTls> {
  const files = security.pki.gateways[security.gatewayName];
  if (files === undefined) {
    const known = Object.keys(security.pki.gateways).join(', ') || 'none';
    throw new Error(`the demo PKI in ${security.pki.dir} has no leaf for sandbox gateway "${security.gatewayName}" (it has: ${known}); create it with ensureSandboxPki`);
  }
  const read = (file: string): Promise<string> => fs.readFile(file, 'utf8');
  const { pki } = security;
  const [certChainPem, keyPem, root, intermediate] = await Promise.all([read(files.chain), read(files.key), read(pki.rootCaCert), read(pki.intermediateCaCert)]);
  return {
    serverOptions: createMtlsServerOptions({ certChainPem, keyPem, clientCaPem: root }),
    trustedCertsPem: [root, intermediate],
  };
}
