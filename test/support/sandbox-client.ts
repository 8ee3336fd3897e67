import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request, type Agent } from 'undici';
import { ensureSandboxPki } from '../../src/sandbox';
import type { DemoPki } from '../../src/security/pki/demo-pki';
import { createMtlsDispatcher } from '../../src/security/tls/mtls-agent';
import { buildSecurityHeader, type SecurityHeaderOptions } from '../../src/security/wss';
import type { XuaSigner, XuaSubject } from '../../src/security/xua';

/**
 * Calling a secured sandbox gateway the way the facade does (and the NIR demands): mutual TLS with the demo
 * facade leaf (chain = leaf + intermediate, trusting only the demo root) and, on every request, a fresh
 * wsse:Security header whose XUA assertion the facade leaf signs. For any test that talks to
 * `startSandbox({ security: { pki } })` or `startSandboxGateway({ security })`.
 */

/** A complete XUA subject with synthetic values (no real person; a test ODS code). */
export const SANDBOX_TEST_SUBJECT: XuaSubject = {
  nameId: 'uid-sandbox-test-1',
  subjectName: 'Dr Sam Sandbox',
  organization: 'Sandbox Test Imaging Trust',
  organizationId: 'X99',
  homeCommunityId: 'urn:oid:1.2.826.0.1.999.200',
  role: { code: '309343006', system: '2.16.840.1.113883.6.96', display: 'Physician' },
  purposeOfUse: { code: 'TREATMENT', system: '2.16.840.1.113883.3.18.7.1', display: 'Treatment' },
};

/** A demo PKI for the two default sandbox gateways in a fresh temporary directory (key generation takes seconds). */
export interface TempSandboxPki {
  readonly pki: DemoPki;
  /** Delete the directory. */
  remove(): void;
}

/** Make a TempSandboxPki: one per test file (beforeAll), removed in afterAll. */
export async function makeTempSandboxPki(): Promise<TempSandboxPki> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-pki-'));
  const pki = await ensureSandboxPki(dir);
  return { pki, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** What a raw POST over mutual TLS answered. */
export interface SecuredAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

export interface SandboxClient {
  /** undici Agent presenting the facade's chain and trusting only the demo root: pass it as `dispatcher`. */
  readonly dispatcher: Agent;
  /** The facade leaf as XUA signer (certificate + key PEM). */
  readonly signer: XuaSigner;
  /** The demo root CA (PEM), for tests that build clients of their own. */
  readonly rootPem: string;
  /** A freshly signed wsse:Security header; `overrides` change the subject, clock, lifetimes or signer. */
  securityHeader(overrides?: Partial<SecurityHeaderOptions>): string;
  /** POST `body` over mutual TLS and read the whole answer as text. */
  post(url: string, body: string | Buffer, contentType: string): Promise<SecuredAnswer>;
  close(): Promise<void>;
}

/** A client of the secured sandbox gateways made from `pki`'s facade leaf. */
export function sandboxClient(pki: DemoPki): SandboxClient {
  const read = (file: string): string => fs.readFileSync(file, 'utf8');
  const rootPem = read(pki.rootCaCert);
  const signer: XuaSigner = { certPem: read(pki.facade.cert), keyPem: read(pki.facade.key) };
  const dispatcher = createMtlsDispatcher({ certChainPem: read(pki.facade.chain), keyPem: signer.keyPem, caPem: rootPem });
  return {
    dispatcher,
    signer,
    rootPem,
    securityHeader: (overrides = {}) => buildSecurityHeader({ subject: SANDBOX_TEST_SUBJECT, signer, ...overrides }),
    post: async (url, body, contentType) => {
      const res = await request(url, { method: 'POST', headers: { 'content-type': contentType }, body, dispatcher });
      return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), text: await res.body.text() };
    },
    close: () => dispatcher.close(),
  };
}
