import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { runSandboxCli } from '../../../src/sandbox/cli';
import { ensureSandboxPki, startSandbox, startSandboxGateway, loadSandboxSeed, type SandboxGateway } from '../../../src/sandbox';
import { createMtlsDispatcher } from '../../../src/security/tls/mtls-agent';
import type { SandboxSeed } from '../../../src/sandbox/seed-types';
import { FIND_DOCUMENTS, GET_DOCUMENTS, HOME_A, findSlots, iti38Request, post, soapContentType, summary } from './helpers';

/** Community A's seed with a delay on 9000000009 only: the delay tests need a short, known delay. */
function seedWithDelay(delayMs: number): SandboxSeed {
  const seed = loadSandboxSeed('community-a');
  return { ...seed, patients: seed.patients.map((p) => (p.nhsNumber === '9000000009' ? { ...p, behaviour: { delayMs } } : p)) };
}

describe('sandbox gateway: stats', () => {
  let gw: SandboxGateway;
  beforeAll(async () => {
    gw = await startSandboxGateway({ name: 'Stats', homeCommunityId: HOME_A, seed: loadSandboxSeed('community-a') });
  });
  afterAll(async () => {
    await gw.close();
  });

  it('counts requests per transaction and per stored query, served at GET /_sandbox/stats', async () => {
    gw.resetStats();
    await post(gw.iti38Url, iti38Request({ queryId: FIND_DOCUMENTS, slots: findSlots('9000000009') }));
    await post(gw.iti38Url, iti38Request({ queryId: FIND_DOCUMENTS, slots: findSlots('9000000068') }));
    await post(gw.iti38Url, iti38Request({ queryId: GET_DOCUMENTS, slots: [['$XDSDocumentEntryUniqueId', ["('2.999.1.1.1.1')"]]] }));
    await post(gw.iti38Url, 'not xml');
    await post(gw.iti39Url, '<x/>', soapContentType('urn:ihe:iti:2007:CrossGatewayRetrieve'));
    const expected = {
      iti38: 4,
      iti39: 1,
      rad75: 0,
      byStoredQuery: { FindDocuments: 2, FindDocumentsByReferenceId: 0, GetDocuments: 1, unknown: 0 },
      soapFaults: 2,
      registryErrors: 1,
      iti39Documents: 0,
      rad75Documents: 0,
      retrieveErrors: 0,
      securityAccepted: 0,
      securityRefusals: 0,
      tlsHandshakeFailures: 0,
    };
    expect(gw.stats()).toEqual(expected);
    const res = await fetch(`${gw.baseUrl}/_sandbox/stats`);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual(expected);
  });

  it('resets by resetStats() and by DELETE /_sandbox/stats', async () => {
    await post(gw.iti38Url, iti38Request({ slots: findSlots('9000000017') }));
    expect(gw.stats().iti38).toBeGreaterThan(0);
    expect((await fetch(`${gw.baseUrl}/_sandbox/stats`, { method: 'DELETE' })).status).toBe(204);
    expect(gw.stats().iti38).toBe(0);
    await post(gw.iti38Url, iti38Request({ slots: findSlots('9000000017') }));
    gw.resetStats();
    expect(gw.stats()).toMatchObject({ iti38: 0, soapFaults: 0, registryErrors: 0 });
  });

  it('answers a plain SOAP request to ITI-39 or RAD-75 with a SOAP 1.2 env:Sender fault (415): retrieves are MTOM', async () => {
    for (const [url, action] of [
      [gw.iti39Url, 'urn:ihe:iti:2007:CrossGatewayRetrieve'],
      [gw.rad75Url, 'urn:ihe:rad:2011:CrossGatewayRetrieveImagingDocumentSet'],
    ] as const) {
      const res = await post(url, '<x/>', soapContentType(action));
      expect(res.status).toBe(415);
      expect(summary(res.root).faultCode).toBe('env:Sender');
      expect(summary(res.root).faultReason).toMatch(/MTOM\/XOP encoded/);
    }
  });
});

describe('sandbox gateway: per-patient delay', () => {
  it('holds back only the delayed patient; a concurrent request for another patient answers at once', async () => {
    const gw = await startSandboxGateway({ name: 'Slow', homeCommunityId: HOME_A, seed: seedWithDelay(1000) });
    try {
      const started = Date.now();
      const slow = post(gw.iti38Url, iti38Request({ slots: findSlots('9000000009') })).then((r) => ({ r, at: Date.now() - started }));
      const fast = await post(gw.iti38Url, iti38Request({ slots: findSlots('9000000025') }));
      const fastAt = Date.now() - started;
      expect(summary(fast.root).extrinsicObjects.length).toBeGreaterThan(0);
      expect(fastAt).toBeLessThan(500);
      const { r, at } = await slow;
      expect(at).toBeGreaterThanOrEqual(950);
      expect(summary(r.root).extrinsicObjects).toHaveLength(3);
    } finally {
      await gw.close();
    }
  });

  it('close() does not wait for held-back answers', async () => {
    const gw = await startSandboxGateway({ name: 'Slow', homeCommunityId: HOME_A, seed: seedWithDelay(10_000) });
    const pending = fetch(gw.iti38Url, { method: 'POST', headers: { 'Content-Type': soapContentType() }, body: iti38Request({ slots: findSlots('9000000009') }) }).then(
      () => 'answered',
      () => 'dropped',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await gw.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toBe('dropped');
  });
});

describe('startSandbox and the CLI', () => {
  let pkiDir: string;
  beforeAll(() => {
    pkiDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-cli-pki-'));
  });
  afterAll(() => {
    fs.rmSync(pkiDir, { recursive: true, force: true });
  });

  it('starts both communities with the facade timeouts (A 10000 ms, B 2000 ms)', async () => {
    const sandbox = await startSandbox({ portA: 0, portB: 0 });
    try {
      expect(sandbox.communities.map((c) => [c.name, c.homeCommunityId, c.timeoutMs])).toEqual([
        ['Sandbox Community A', 'urn:oid:2.999.1.1', 10000],
        ['Sandbox Community B', 'urn:oid:2.999.1.2', 2000],
      ]);
      for (const [i, c] of sandbox.communities.entries()) {
        expect(c.iti38Url).toBe(sandbox.gateways[i]!.iti38Url);
        expect(c.iti38Url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/xca\/iti38$/);
        expect(c.iti39Url).toMatch(/\/xca\/iti39$/);
        expect(c.rad75Url).toMatch(/\/xca\/rad75$/);
      }
    } finally {
      await sandbox.close();
    }
  });

  it('the CLI is secured by default: https URLs, then the PKI files an initiating gateway needs (SANDBOX_PKI_DIR)', async () => {
    const lines: string[] = [];
    const env = { SANDBOX_A_PORT: '0', SANDBOX_B_PORT: '0', SANDBOX_PKI_DIR: pkiDir, SANDBOX_PKI_HOSTS: 'sandbox.test' };
    const sandbox = await runSandboxCli({ env, write: (line) => lines.push(line) });
    const files = (name: string): string => path.join(pkiDir, name);
    try {
      expect(lines).toHaveLength(3);
      expect(lines.every((l) => l.endsWith('\n'))).toBe(true);
      const [a, b, security] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(a).toMatchObject({ name: 'Sandbox Community A', homeCommunityId: 'urn:oid:2.999.1.1', iti38Url: sandbox.gateways[0].iti38Url });
      expect(b).toMatchObject({ name: 'Sandbox Community B', homeCommunityId: 'urn:oid:2.999.1.2', iti38Url: sandbox.gateways[1].iti38Url });
      expect(a!.iti38Url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/xca\/iti38$/);
      expect(security).toEqual({
        security: expect.stringMatching(/mutual TLS .* XUA/),
        pki: { dir: pkiDir, rootCaCert: files('root-ca.cert.pem'), intermediateCaCert: files('intermediate-ca.cert.pem'), clientCertChain: files('facade.chain.pem'), clientKey: files('facade.key.pem') },
      });
      // What an integrator does with the announced files: a client that the gateway admits. The gateway's
      // certificate also names the SANDBOX_PKI_HOSTS entry (the client checks the server against it).
      const pki = (security as { pki: Record<string, string> }).pki;
      const read = (key: string): string => fs.readFileSync(pki[key]!, 'utf8');
      const dispatcher = createMtlsDispatcher({ certChainPem: read('clientCertChain'), keyPem: read('clientKey'), caPem: read('rootCaCert'), servername: 'sandbox.test' });
      try {
        const res = await request(String(a!.statsUrl), { dispatcher });
        expect([res.statusCode, await res.body.json()]).toEqual([200, expect.objectContaining({ iti38: 0 })]);
      } finally {
        await dispatcher.close();
      }
    } finally {
      await sandbox.close();
    }
  });

  it('the CLI with SANDBOX_INSECURE=true serves plain HTTP and says the NIR would refuse it', async () => {
    const lines: string[] = [];
    const sandbox = await runSandboxCli({ env: { SANDBOX_A_PORT: '0', SANDBOX_B_PORT: '0', SANDBOX_INSECURE: 'true' }, write: (line) => lines.push(line) });
    try {
      expect(lines).toHaveLength(3);
      const [a, , security] = lines.map((l) => JSON.parse(l) as Record<string, string>);
      expect(a!.iti38Url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/xca\/iti38$/);
      expect(sandbox.gateways.map((g) => g.secured)).toEqual([false, false]);
      expect(security).toEqual({ security: 'none', warning: expect.stringMatching(/National Imaging Registry would refuse/) });
      expect((await fetch(a!.statsUrl!)).status).toBe(200);
    } finally {
      await sandbox.close();
    }
  });

  it('a secured gateway refuses to start when the demo PKI has no leaf of its name', async () => {
    const pki = await ensureSandboxPki(pkiDir);
    const started = startSandboxGateway({ name: 'X', homeCommunityId: HOME_A, seed: loadSandboxSeed('community-a'), security: { pki, gatewayName: 'sandbox-community-x' } });
    await expect(started).rejects.toThrow(/no leaf for sandbox gateway "sandbox-community-x"/);
  });

  it('the CLI refuses a port that is not a number', async () => {
    await expect(runSandboxCli({ env: { SANDBOX_A_PORT: 'eighty' }, write: () => undefined })).rejects.toThrow(/SANDBOX_A_PORT/);
  });
});
