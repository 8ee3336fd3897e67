import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { issueCertificate, type IssuedCertificate } from '../../src/security/pki/demo-pki';
import { issueCrl } from '../../src/security/pki/issue';
import { RevocationListError } from '../../src/security/pki/crl';
import { createMtlsServerOptions } from '../../src/security/tls/mtls-agent';
import { CertificateError } from '../../src/security/pki/certificate-check';
import { communitiesFile } from '../support/communities';
import { searchByNhsNumber, startTestFacade, type TestFacade } from '../support/facade';

/**
 * Zero trust towards the communities, through the whole facade: mutual TLS with the configured chain and trust store,
 * every bad server certificate a hard failure of that community (an OperationOutcome naming it and the reason), and
 * no startup at all with an expired client certificate. Certificates are made here, at test time.
 */
const EMPTY_SUCCESS = fs.readFileSync(path.join(__dirname, '../fixtures/xca/empty.xml'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxf-outbound-tls-'));
const write = (name: string, pem: string): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, pem, { mode: 0o600 });
  return file;
};

let root: IssuedCertificate;
let client: IssuedCertificate;
const servers: https.Server[] = [];
const seen: Record<string, number> = {};

async function gateway(name: string, cert: IssuedCertificate): Promise<string> {
  const server = https.createServer(createMtlsServerOptions({ certChainPem: cert.certPem, keyPem: cert.keyPem, clientCaPem: root.certPem }), (req, res) => {
    seen[name] = (seen[name] ?? 0) + 1;
    req.resume();
    req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/soap+xml; charset=UTF-8' }).end(EMPTY_SUCCESS));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}/xca/iti38`;
}

function tlsEnv(clientCert: IssuedCertificate): Record<string, string> {
  const cert = write(`client-${clientCert.certificate.serialNumber}.pem`, clientCert.certPem);
  const key = write(`client-${clientCert.certificate.serialNumber}.key`, clientCert.keyPem);
  return { TLS_CLIENT_CERT: cert, TLS_CLIENT_KEY: key, TLS_CA: write('root.pem', root.certPem), SAML_SIGNING_CERT: cert, SAML_SIGNING_KEY: key };
}

/** A gateway's server certificate from the test root (unless `opts` says otherwise), valid for 127.0.0.1. */
function leaf(opts: Partial<Parameters<typeof issueCertificate>[0]>): Promise<IssuedCertificate> {
  return issueCertificate({ commonName: 'gateway.test', issuer: root, usages: ['serverAuth'], hosts: ['127.0.0.1'], keyType: 'p-256', ...opts });
}

let facade: TestFacade;
beforeAll(async () => {
  root = await issueCertificate({ commonName: 'Test NHS Root', ca: {}, keyType: 'rsa-2048' });
  const otherRoot = await issueCertificate({ commonName: 'Some Other Root', ca: {}, keyType: 'p-256' });
  client = await issueCertificate({ commonName: 'facade.test', issuer: root, usages: ['clientAuth'], keyType: 'rsa-2048' });
  const communities = [
    { homeCommunityId: 'urn:oid:2.999.70.1', name: 'Good', iti38Url: await gateway('good', await leaf({})) },
    { homeCommunityId: 'urn:oid:2.999.70.2', name: 'Expired', iti38Url: await gateway('expired', await leaf({ notBefore: new Date(Date.now() - 400 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) })) },
    { homeCommunityId: 'urn:oid:2.999.70.3', name: 'Wrong host', iti38Url: await gateway('wrong-host', await leaf({ hosts: ['elsewhere.example'] })) },
    { homeCommunityId: 'urn:oid:2.999.70.4', name: 'Wrong CA', iti38Url: await gateway('wrong-ca', await leaf({ issuer: otherRoot })) },
  ].map((c) => ({ ...c, timeoutMs: 5000 }));
  facade = await startTestFacade({ COMMUNITIES_FILE: communitiesFile(communities), ...tlsEnv(client) });
}, 60_000);

afterAll(async () => {
  await facade?.close();
  for (const s of servers) s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('outbound mutual TLS through the facade', () => {
  it('answers from the trusted community and names each bad one with its TLS reason, without fallback', async () => {
    const { status, body } = await searchByNhsNumber(facade, '9000000009');
    expect(status).toBe(200);
    expect(seen.good).toBe(1);
    const issues: string[] = body.entry.find((e: any) => e.search.mode === 'outcome').resource.issue.map((i: any) => i.diagnostics);
    expect(issues).toHaveLength(3);
    expect(issues.find((d) => d.includes("'Expired'"))).toMatch(/server certificate expired/);
    expect(issues.find((d) => d.includes("'Wrong host'"))).toMatch(/name mismatch/);
    expect(issues.find((d) => d.includes("'Wrong CA'"))).toMatch(/not trusted/);
    expect(seen.expired ?? 0).toBe(0);
    expect(seen['wrong-host'] ?? 0).toBe(0);
    expect(seen['wrong-ca'] ?? 0).toBe(0);
  });

  it('refuses to start with an expired client certificate, or one whose key does not match', async () => {
    const expired = await issueCertificate({ commonName: 'facade.test', issuer: root, usages: ['clientAuth'], keyType: 'rsa-2048', notBefore: new Date(Date.now() - 400 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
    const env = { COMMUNITIES_FILE: communitiesFile([{ homeCommunityId: 'urn:oid:2.999.70.9', name: 'Any', iti38Url: 'https://127.0.0.1:9/xca/iti38' }]) };
    await expect(startTestFacade({ ...env, ...tlsEnv(expired) })).rejects.toThrow(CertificateError);
    const other = await issueCertificate({ commonName: 'facade.test', issuer: root, usages: ['clientAuth'], keyType: 'rsa-2048' });
    const mismatched = { ...tlsEnv(client), TLS_CLIENT_KEY: tlsEnv(other).TLS_CLIENT_KEY };
    await expect(startTestFacade({ ...env, ...mismatched })).rejects.toThrow(/key/i);
  }, 30_000);
});

describe('outbound certificate revocation (TLS_CRL)', () => {
  it('refuses a community whose server certificate the CA revoked, and still answers from the others', async () => {
    const revoked = await leaf({});
    const communities = [
      { homeCommunityId: 'urn:oid:2.999.71.1', name: 'Current', iti38Url: await gateway('current', await leaf({})) },
      { homeCommunityId: 'urn:oid:2.999.71.2', name: 'Revoked', iti38Url: await gateway('revoked', revoked) },
    ].map((c) => ({ ...c, timeoutMs: 5000 }));
    const crl = write('root.crl.pem', await issueCrl(root, { revoked: [revoked] }));
    const withCrl = await startTestFacade({ COMMUNITIES_FILE: communitiesFile(communities), ...tlsEnv(client), TLS_CRL: crl });
    try {
      const { status, body } = await searchByNhsNumber(withCrl, '9000000009');
      expect(status).toBe(200);
      expect(seen.current).toBe(1);
      const issues: string[] = body.entry.find((e: any) => e.search.mode === 'outcome').resource.issue.map((i: any) => i.diagnostics);
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatch(/'Revoked'.*server certificate revoked/);
      expect(seen.revoked ?? 0).toBe(0);
      // The list is watched like a certificate: /_status shows until when it is current.
      const health = (await (await fetch(`${withCrl.url}/_status`)).json()) as any;
      const list = health.certificates.find((c: any) => /TLS_CRL\) revocation list of CN=Test NHS Root/.test(c.role));
      expect(list).toMatchObject({ usable: true, source: crl, problems: [] });
      expect(Date.parse(list.notAfter)).toBeGreaterThan(Date.now());
    } finally {
      await withCrl.close();
    }
  }, 30_000);

  it('refuses to start with a revocation list that is out of date', async () => {
    const env = { COMMUNITIES_FILE: communitiesFile([{ homeCommunityId: 'urn:oid:2.999.71.9', name: 'Any', iti38Url: 'https://127.0.0.1:9/xca/iti38' }]) };
    const stale = write('stale.crl.pem', await issueCrl(root, { thisUpdate: new Date(Date.now() - 3 * 86_400_000), nextUpdate: new Date(Date.now() - 86_400_000) }));
    await expect(startTestFacade({ ...env, ...tlsEnv(client), TLS_CRL: stale })).rejects.toThrow(RevocationListError);
  }, 30_000);
});

describe('certificate rotation without a restart (reloadCredentials, SIGHUP)', () => {
  /** A gateway that notes the client certificate of every request and closes each connection (one handshake each). */
  /**
   * A gateway that notes the client certificate of every request, and counts its TLS connections (and how many of
   * them resumed an earlier session). It closes each
   * connection after its answer unless `keepAlive`.
   */
  async function fingerprintingGateway(cert: IssuedCertificate, opts: { keepAlive?: boolean } = {}): Promise<{ url: string; clients: string[]; connections: () => number; resumed: () => number }> {
    const clients: string[] = [];
    let connections = 0;
    let resumed = 0;
    const server = https.createServer(createMtlsServerOptions({ certChainPem: cert.certPem, keyPem: cert.keyPem, clientCaPem: root.certPem }), (req, res) => {
      clients.push((req.socket as TLSSocket).getPeerCertificate().fingerprint256);
      req.resume();
      req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/soap+xml; charset=UTF-8', ...(opts.keepAlive === true ? {} : { Connection: 'close' }) }).end(EMPTY_SUCCESS));
    });
    server.on('secureConnection', (socket: TLSSocket) => {
      connections += 1;
      if (socket.isSessionReused()) resumed += 1;
    });
    server.keepAliveTimeout = 60_000; // the facade's own keep-alive (30 s) decides how long a connection stays open
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/xca/iti38`, clients, connections: () => connections, resumed: () => resumed };
  }

  /** A facade whose one community is the gateway at `url`, with the test client's credentials and `env`. */
  const oneCommunityFacade = (homeCommunityId: string, name: string, url: string, env: Record<string, string> = {}): Promise<TestFacade> =>
    startTestFacade({ COMMUNITIES_FILE: communitiesFile([{ homeCommunityId, name, iti38Url: url, timeoutMs: 5000 }]), ...tlsEnv(client), ...env });
  /** Every diagnostics text of an error answer, one per line. */
  const diagnosticsOf = (res: { body: any }): string => res.body.issue.map((i: any) => i.diagnostics).join('\n');

  /**
   * A gateway checked against a revocation list (TLS_CRL) that revokes nothing yet, and a facade for it; `revoke`
   * writes a list revoking the gateway's certificate and reloads the facade's credentials.
   */
  async function revocableGateway(homeCommunityId: string, name: string, opts: { keepAlive?: boolean } = {}) {
    const gatewayCert = await leaf({});
    const gw = await fingerprintingGateway(gatewayCert, opts);
    const crlFile = `${homeCommunityId.replace(/\W/g, '-')}.crl.pem`;
    const facade = await oneCommunityFacade(homeCommunityId, name, gw.url, { TLS_CRL: write(crlFile, await issueCrl(root)) });
    const revoke = async (): Promise<void> => {
      write(crlFile, await issueCrl(root, { revoked: [gatewayCert] }));
      await facade.service.reloadCredentials();
    };
    return { gw, facade, revoke };
  }

  /** A search that goes upstream (not answered from the cache). */
  const fresh = (facade: TestFacade) => searchByNhsNumber(facade, '9000000009', '', { 'Cache-Control': 'no-cache' });
  const fingerprintOf = (c: IssuedCertificate): string => new X509Certificate(c.certPem).fingerprint256;
  // The client certificate also signs the XUA assertions (RSA-SHA256), hence RSA keys.
  const clientCert = (opts: Partial<Parameters<typeof issueCertificate>[0]> = {}): Promise<IssuedCertificate> =>
    issueCertificate({ commonName: 'facade.test', issuer: root, usages: ['clientAuth'], keyType: 'rsa-2048', ...opts });

  it('uses a new client certificate for the connections after a reload, and keeps the one in use when the new one is expired', async () => {
    const gw = await fingerprintingGateway(await leaf({}));
    const files = { TLS_CLIENT_CERT: path.join(dir, 'rotating.pem'), TLS_CLIENT_KEY: path.join(dir, 'rotating.key') };
    const install = (c: IssuedCertificate): void => {
      write('rotating.pem', c.certPem);
      write('rotating.key', c.keyPem);
    };
    const first = await clientCert();
    install(first);
    const env = { ...files, TLS_CA: write('root.pem', root.certPem), SAML_SIGNING_CERT: files.TLS_CLIENT_CERT, SAML_SIGNING_KEY: files.TLS_CLIENT_KEY };
    const rotating = await oneCommunityFacade('urn:oid:2.999.72.1', 'Rotation', gw.url, env); // env replaces every credential
    try {
      expect((await fresh(rotating)).status).toBe(200);
      expect(gw.clients).toEqual([fingerprintOf(first)]);

      const second = await clientCert();
      install(second);
      await rotating.service.reloadCredentials();
      expect((await fresh(rotating)).status).toBe(200);
      expect(gw.clients).toEqual([fingerprintOf(first), fingerprintOf(second)]);

      // A rotation that cannot be used changes nothing: the certificate in use stays, in use and in /_status.
      install(await clientCert({ notBefore: new Date(Date.now() - 10 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) }));
      await expect(rotating.service.reloadCredentials()).rejects.toThrow(CertificateError);
      expect((await fresh(rotating)).status).toBe(200);
      expect(gw.clients.at(-1)).toBe(fingerprintOf(second));
      const health = (await (await fetch(`${rotating.url}/_status`)).json()) as any;
      expect(health.certificates.find((c: any) => c.role === 'TLS client')).toMatchObject({ usable: true, notAfter: new Date(new X509Certificate(second.certPem).validTo).toISOString() });
    } finally {
      await rotating.close();
    }
  }, 30_000);

  it('applies a new revocation list after a reload: a certificate revoked since is refused', async () => {
    const { gw, facade: withCrl, revoke } = await revocableGateway('urn:oid:2.999.72.2', 'Revoked later');
    try {
      expect((await fresh(withCrl)).status).toBe(200);
      expect(gw.clients).toHaveLength(1);
      await revoke();
      const after = await fresh(withCrl);
      // The only community is refused: 502, naming it and the reason, and the gateway was not asked again.
      expect(after.status).toBe(502);
      expect(diagnosticsOf(after)).toMatch(/'Revoked later'.*server certificate revoked/);
      expect(gw.clients).toHaveLength(1);
    } finally {
      await withCrl.close();
    }
  }, 30_000);

  it('does not go on using a connection opened before a reload: a gateway revoked since is refused on a kept-alive connection too', async () => {
    const { gw, facade: keptAlive, revoke } = await revocableGateway('urn:oid:2.999.72.3', 'Kept alive', { keepAlive: true });
    try {
      expect((await fresh(keptAlive)).status).toBe(200);
      expect((await fresh(keptAlive)).status).toBe(200);
      expect(gw.clients).toHaveLength(2);
      expect(gw.connections()).toBe(1); // the second search went over the kept-alive connection
      await revoke();
      const after = await fresh(keptAlive);
      expect(after.status).toBe(502);
      expect(diagnosticsOf(after)).toMatch(/'Kept alive'.*server certificate revoked/);
      expect(gw.clients).toHaveLength(2);
    } finally {
      await keptAlive.close();
    }
  }, 30_000);

  it("never resumes a TLS session, so every connection verifies the gateway's certificate afresh", async () => {
    const gw = await fingerprintingGateway(await leaf({}));
    const f = await oneCommunityFacade('urn:oid:2.999.72.5', 'No resumption', gw.url);
    try {
      for (let i = 0; i < 3; i += 1) expect((await fresh(f)).status).toBe(200);
      expect(gw.connections()).toBe(3); // the gateway closes each connection after its answer
      expect(gw.resumed()).toBe(0);
    } finally {
      await f.close();
    }
  }, 30_000);

  it("closes a kept-alive connection when the gateway's certificate expires: the next call is refused, not sent over it", async () => {
    const notAfter = new Date(Math.ceil((Date.now() + 4_000) / 1000) * 1000); // X.509 times are whole seconds
    const gw = await fingerprintingGateway(await leaf({ notAfter }), { keepAlive: true });
    const expiring = await oneCommunityFacade('urn:oid:2.999.72.4', 'Expiring', gw.url);
    try {
      expect((await fresh(expiring)).status).toBe(200);
      expect(gw.connections()).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, notAfter.getTime() + 1_500 - Date.now()));
      const after = await fresh(expiring);
      expect(after.status).toBe(502);
      expect(diagnosticsOf(after)).toMatch(/'Expiring'.*expired/);
      expect(gw.clients).toHaveLength(1);
    } finally {
      await expiring.close();
    }
  }, 30_000);
});
