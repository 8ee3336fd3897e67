import type { ServerOptions } from 'node:https';
import { createSecureContext, type SecureVersion } from 'node:tls';
import { Agent } from 'undici';
import { createTlsConnector } from './tls-connector';

/**
 * Mutual TLS for the XCA exchanges (ITI TF-2 3.19 ATNA Secure Node; NIR onboarding: zero trust). Both sides check
 * the other's chain against a private trust bundle only (never the public web roots), TLS 1.2 is the floor
 * (BCP 195 / RFC 9325), and certificate verification cannot be switched off: there is deliberately no option for it.
 */

/** The lowest protocol version either side accepts. */
export const MIN_TLS_VERSION: SecureVersion = 'TLSv1.2';

export interface MtlsClientOptions {
  /** Our leaf, then its intermediate(s): node:tls sends every certificate of this PEM text, in order. */
  readonly certChainPem: string;
  readonly keyPem: string;
  /** The only anchors the server's chain may lead to (replaces Node's bundled public roots). */
  readonly caPem: string;
  /** Name to check the server certificate against (and send as SNI) instead of the URL's host. */
  readonly servername?: string;
}

export interface MtlsServerInput {
  readonly certChainPem: string;
  readonly keyPem: string;
  /** The only anchors a client's chain may lead to. */
  readonly clientCaPem: string;
}

function requirePem(value: string, what: string): void {
  if (!/-----BEGIN [A-Z0-9 ]+-----/.test(value)) throw new TypeError(`mutual TLS: ${what} is not PEM text`);
}

/**
 * Build the TLS context once up front, so that a malformed PEM or a key that does not match the certificate
 * fails when the agent is made (startup), not on the first request to a community.
 */
function checkMaterial(cert: string, key: string, ca: string): void {
  requirePem(cert, 'the certificate chain');
  requirePem(key, 'the private key');
  requirePem(ca, 'the trust bundle');
  createSecureContext({ cert, key, ca, minVersion: MIN_TLS_VERSION });
}

/**
 * An undici Agent presenting our certificate chain and trusting only `caPem`. Pass it as `dispatcher`. Refusals
 * of our certificate surface as TLS errors (see tls-connector.ts), never as a silent retry or a plain-HTTP fallback.
 */
export function createMtlsDispatcher(opts: MtlsClientOptions): Agent {
  checkMaterial(opts.certChainPem, opts.keyPem, opts.caPem);
  return new Agent({
    connect: createTlsConnector({
      cert: opts.certChainPem,
      key: opts.keyPem,
      ca: opts.caPem,
      minVersion: MIN_TLS_VERSION,
      rejectUnauthorized: true,
      ...(opts.servername !== undefined ? { servername: opts.servername } : {}),
    }),
  });
}

/** node:https server options that demand a client certificate chaining to `clientCaPem` (for the sandbox). */
export function createMtlsServerOptions(opts: MtlsServerInput): ServerOptions {
  checkMaterial(opts.certChainPem, opts.keyPem, opts.clientCaPem);
  return {
    cert: opts.certChainPem,
    key: opts.keyPem,
    ca: opts.clientCaPem,
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: MIN_TLS_VERSION,
  };
}
