import { ensureDemoPki, type DemoPki } from '../../security/pki/demo-pki';

/**
 * How a sandbox gateway is secured the way the National Imaging Registry secures its responding gateways: mutual
 * TLS (ITI TF-2 3.19 ATNA Secure Node; TLS 1.2 or later, a client certificate chaining to the trusted root) and a
 * signed XUA assertion in a WS-Security header on every SOAP request (ITI TF-2 3.40, WS-Security 1.0). The keys
 * and certificates come from the demo PKI (src/security/pki/demo-pki.ts), made locally by ensureSandboxPki.
 */

/** Security of one gateway (startSandboxGateway). Absent: plain HTTP, wsse:Security accepted unchecked. */
export interface SandboxGatewaySecurity {
  /**
   * The demo PKI: the gateway serves its own leaf (`pki.gateways[gatewayName]`, chain = leaf + intermediate),
   * demands a client certificate chaining to `pki.rootCaCert`, and trusts XUA assertions signed by a certificate
   * issued under the demo root (the root and the intermediate are the trust anchors).
   */
  readonly pki: DemoPki;
  /** Which leaf of `pki.gateways` this gateway serves with. */
  readonly gatewayName: string;
  /** Allowed clock difference with the sender on Timestamp and Conditions; default the XUA table's. */
  readonly clockSkewSeconds?: number;
}

/** Security of the default sandbox (startSandbox): each gateway uses its leaf from SANDBOX_PKI_GATEWAYS. */
export interface SandboxSecurity {
  /** Made by ensureSandboxPki (or ensureDemoPki with SANDBOX_PKI_GATEWAYS as its gateways). */
  readonly pki: DemoPki;
  readonly clockSkewSeconds?: number;
}

/** The demo PKI's leaf name of each default sandbox community, by seed name. */
export const SANDBOX_PKI_GATEWAYS = { 'community-a': 'sandbox-community-a', 'community-b': 'sandbox-community-b' } as const;

/** subjectAltName of the sandbox leaves: every loopback name a client may use. */
export const SANDBOX_PKI_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '::1'];

/**
 * Make sure `dir` holds a demo PKI with a leaf for each default sandbox gateway (existing files that are still
 * good are reused: see ensureDemoPki). `extraHosts` are added to the leaves' subjectAltName (e.g. a docker
 * service name the facade connects to).
 */
export function ensureSandboxPki(dir: string, extraHosts: readonly string[] = []): Promise<DemoPki> {
  const hosts = [...new Set([...SANDBOX_PKI_HOSTS, ...extraHosts])];
  return ensureDemoPki(dir, { gateways: Object.values(SANDBOX_PKI_GATEWAYS), hosts });
}
