import { isIP } from 'node:net';
import path from 'node:path';
import { fromRoot } from '../config/paths';
import { DEFAULT_LARGE_DOCUMENT_BYTES, MAX_LARGE_DOCUMENT_BYTES, MIN_LARGE_DOCUMENT_BYTES } from './content/large-document';

/**
 * The sandbox's own settings, read from the environment in this one place (the facade's config does not know
 * them): SANDBOX_A_PORT / SANDBOX_B_PORT (default 9081 / 9082, CLI only), SANDBOX_HOST (listen address, default
 * 127.0.0.1; docker compose sets 0.0.0.0), SANDBOX_LARGE_DOCUMENT_BYTES (size of the generated large document,
 * default 256 MiB; a benchmark may ask for 1 GiB = 1073741824), and for the CLI: SANDBOX_INSECURE ("true": plain
 * HTTP without WS-Security; default "false": mutual TLS + XUA, as the NIR demands), SANDBOX_PKI_DIR (where the
 * demo PKI lives; default <project root>/.sandbox/pki) and SANDBOX_PKI_HOSTS (comma-separated extra names for the
 * gateways' certificates, e.g. a docker compose service name). A bad value throws an Error naming the variable.
 */
export interface SandboxSettings {
  readonly portA: number;
  readonly portB: number;
  readonly host: string;
  readonly largeDocumentBytes: number;
  /** Serve plain HTTP and skip WS-Security (SANDBOX_INSECURE=true). */
  readonly insecure: boolean;
  /** Absolute path of the demo PKI directory. */
  readonly pkiDir: string;
  /** Extra subjectAltNames of the gateways' certificates (beyond loopback). */
  readonly pkiHosts: readonly string[];
}

function port(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a TCP port number (0-65535), got "${value}"`);
  return n;
}

function host(value: string | undefined, name = 'SANDBOX_HOST'): string {
  if (value === undefined || value === '') return '127.0.0.1';
  const bare = value.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare) === 0 && !/^[A-Za-z0-9.-]+$/.test(bare)) throw new Error(`${name} must be an IP address or host name, got "${value}"`);
  return bare;
}

function hosts(value: string | undefined): string[] {
  if (value === undefined || value.trim() === '') return [];
  return value.split(',').map((raw) => {
    const h = raw.trim();
    if (h === '') throw new Error(`SANDBOX_PKI_HOSTS must be a comma-separated list of host names or IP addresses, got "${value}"`);
    return host(h, 'SANDBOX_PKI_HOSTS');
  });
}

function flag(value: string | undefined, name: string): boolean {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new Error(`${name} must be "true" or "false", got "${value}"`);
}

function directory(value: string | undefined): string {
  return value === undefined || value === '' ? fromRoot('.sandbox', 'pki') : path.resolve(value);
}

/** SANDBOX_LARGE_DOCUMENT_BYTES, or the default (256 MiB). */
export function largeDocumentBytes(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_LARGE_DOCUMENT_BYTES;
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(n) || n < MIN_LARGE_DOCUMENT_BYTES || n > MAX_LARGE_DOCUMENT_BYTES) {
    throw new Error(`SANDBOX_LARGE_DOCUMENT_BYTES must be a whole number of bytes from ${MIN_LARGE_DOCUMENT_BYTES} to ${MAX_LARGE_DOCUMENT_BYTES}, got "${value}"`);
  }
  return n;
}

/** Every sandbox setting from `env`. */
export function sandboxSettings(env: NodeJS.ProcessEnv): SandboxSettings {
  return {
    portA: port(env.SANDBOX_A_PORT, 9081, 'SANDBOX_A_PORT'),
    portB: port(env.SANDBOX_B_PORT, 9082, 'SANDBOX_B_PORT'),
    host: host(env.SANDBOX_HOST),
    largeDocumentBytes: largeDocumentBytes(env.SANDBOX_LARGE_DOCUMENT_BYTES),
    insecure: flag(env.SANDBOX_INSECURE, 'SANDBOX_INSECURE'),
    pkiDir: directory(env.SANDBOX_PKI_DIR),
    pkiHosts: hosts(env.SANDBOX_PKI_HOSTS),
  };
}
