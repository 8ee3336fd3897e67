import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent, buildConnector, request } from 'undici';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { issueCertificate, type IssuedCertificate } from '../../src/security/pki/demo-pki';
import { issueCrl } from '../../src/security/pki/issue';
import { communitiesFile } from '../support/communities';
import { startTestFacade, type TestFacade } from '../support/facade';

/**
 * Inbound client certificates: with SERVER_TLS_CERT the facade serves HTTPS, and with INBOUND_CLIENT_CA it verifies
 * client certificates. A verified certificate is a credential only for subjects listed in mappings/auth-claims.json
 * (none by default: 403); an unverified one (untrusted CA, or revoked in INBOUND_CLIENT_CRL) is refused (401); without
 * one a bearer token is still required.
 */
let sandbox: Sandbox;
let facade: TestFacade;
let root: IssuedCertificate;
let trustedClient: IssuedCertificate;
let foreignClient: IssuedCertificate;
let revokedClient: IssuedCertificate;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxf-inbound-certs-'));
const write = (name: string, pem: string): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, pem, { mode: 0o600 });
  return file;
};

beforeAll(async () => {
  sandbox = await startSandbox({ portA: 0, portB: 0 });
  root = await issueCertificate({ commonName: 'Inbound Root', ca: {}, keyType: 'p-256' });
  const other = await issueCertificate({ commonName: 'Other Root', ca: {}, keyType: 'p-256' });
  const server = await issueCertificate({ commonName: 'facade.test', issuer: root, usages: ['serverAuth'], hosts: ['127.0.0.1'], keyType: 'p-256' });
  trustedClient = await issueCertificate({ commonName: 'pacs-system', issuer: root, usages: ['clientAuth'], keyType: 'p-256' });
  foreignClient = await issueCertificate({ commonName: 'pacs-system', issuer: other, usages: ['clientAuth'], keyType: 'p-256' });
  revokedClient = await issueCertificate({ commonName: 'pacs-system', issuer: root, usages: ['clientAuth'], keyType: 'p-256' });
  facade = await startTestFacade({
    COMMUNITIES_FILE: communitiesFile([...sandbox.communities]),
    ALLOW_INSECURE_UPSTREAM: 'true',
    SERVER_TLS_CERT: write('server.pem', server.certPem),
    SERVER_TLS_KEY: write('server.key', server.keyPem),
    INBOUND_CLIENT_CA: write('root.pem', root.certPem),
    INBOUND_CLIENT_CRL: write('root.crl.pem', await issueCrl(root, { revoked: [revokedClient] })),
  });
}, 60_000);

afterAll(async () => {
  await facade?.close();
  await sandbox.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function call(client: IssuedCertificate | undefined, headers: Record<string, string> = {}, pathname?: string): Promise<{ status: number; body: any }> {
  const dispatcher = new Agent({ connect: { ca: root.certPem, ...(client ? { cert: client.certPem, key: client.keyPem } : {}) } });
  const url = pathname ?? `/fhir/DocumentReference?patient.identifier=${encodeURIComponent('https://fhir.nhs.uk/Id/nhs-number|9000000017')}`;
  try {
    const res = await request(`${facade.url}${url}`, { dispatcher, headers });
    return { status: res.statusCode, body: await res.body.json() };
  } finally {
    await dispatcher.close();
  }
}

describe('inbound client certificates over HTTPS', () => {
  it('serves HTTPS and still accepts a bearer token from a client without a certificate', async () => {
    expect(facade.url.startsWith('https://')).toBe(true);
    expect((await call(undefined, facade.headers)).status).toBe(200);
  });

  it('refuses a request with neither a certificate nor a token: 401', async () => {
    expect((await call(undefined)).status).toBe(401);
  });

  it('refuses a client certificate from an untrusted CA: 401', async () => {
    const r = await call(foreignClient);
    expect(r.status).toBe(401);
    expect(r.body.issue[0].details.coding[0].code).toBe('ACCESS_DENIED');
  });

  it('verifies a certificate from INBOUND_CLIENT_CA and maps it through the claims table (not listed by default: 403)', async () => {
    const r = await call(trustedClient);
    expect(r.status).toBe(403);
    expect(r.body.issue[0].diagnostics).toMatch(/pacs-system|not (listed|accepted)/i);
  });

  it('refuses a certificate its CA revoked (INBOUND_CLIENT_CRL): 401, where the same subject unrevoked is verified', async () => {
    const r = await call(revokedClient);
    expect(r.status).toBe(401);
    expect(r.body.issue[0].details.coding[0].code).toBe('ACCESS_DENIED');
    expect((await call(trustedClient)).status).toBe(403);
  });

  it('takes a new revocation list on reloadCredentials (SIGHUP): a certificate revoked since is refused on new connections', async () => {
    expect((await call(trustedClient)).status).toBe(403);
    write('root.crl.pem', await issueCrl(root, { revoked: [revokedClient, trustedClient] }));
    await facade.service.reloadCredentials();
    expect((await call(trustedClient)).status).toBe(401);
  });

  /** A client on one kept-alive connection with `cert`, counting the connections it opens. */
  function keptAliveClient(cert: IssuedCertificate): { send(): Promise<{ status: number; body: any }>; connections(): number; close(): Promise<void> } {
    const connector = buildConnector({ ca: root.certPem, cert: cert.certPem, key: cert.keyPem });
    let connections = 0;
    // Kept alive as long as the facade allows (Node's 5 s), not 1-2 s less as undici would by default.
    const dispatcher = new Agent({
      connections: 1,
      keepAliveTimeoutThreshold: 0,
      connect: (options, callback) => {
        connections += 1;
        connector(options, callback);
      },
    });
    const url = `${facade.url}/fhir/DocumentReference?patient.identifier=${encodeURIComponent('https://fhir.nhs.uk/Id/nhs-number|9000000017')}`;
    return {
      async send() {
        const res = await request(url, { dispatcher });
        return { status: res.statusCode, body: await res.body.json() };
      },
      connections: () => connections,
      close: () => dispatcher.close(),
    };
  }

  it('stops taking a client certificate once it expires, on the connection it opened too: 401', async () => {
    const notAfter = new Date(Math.ceil((Date.now() + 2_000) / 1000) * 1000); // X.509 times are whole seconds
    const client = keptAliveClient(await issueCertificate({ commonName: 'pacs-system', issuer: root, usages: ['clientAuth'], keyType: 'p-256', notAfter }));
    try {
      expect((await client.send()).status).toBe(403); // verified, not registered for access
      await new Promise((resolve) => setTimeout(resolve, notAfter.getTime() + 600 - Date.now()));
      const after = await client.send();
      expect(client.connections()).toBe(1); // the same kept-alive connection
      expect(after.status).toBe(401);
      expect(after.body.issue[0].diagnostics).toMatch(/client certificate expired/);
    } finally {
      await client.close();
    }
  }, 20_000);

  it('stops taking a client certificate revoked by a list reloaded since, on the connection it opened too: 401', async () => {
    const revokedLater = await issueCertificate({ commonName: 'pacs-system', issuer: root, usages: ['clientAuth'], keyType: 'p-256' });
    const client = keptAliveClient(revokedLater);
    try {
      expect((await client.send()).status).toBe(403); // verified, not registered for access
      write('root.crl.pem', await issueCrl(root, { revoked: [revokedClient, trustedClient, revokedLater] }));
      await facade.service.reloadCredentials();
      const after = await client.send();
      expect(client.connections()).toBe(1); // the same kept-alive connection
      expect(after.status).toBe(401);
    } finally {
      await client.close();
    }
  }, 20_000);

  it('watches its own HTTPS certificate in /_status, and refuses to start with an expired one', async () => {
    const health = (await (await call(undefined, facade.headers, '/_status')).body) as any;
    expect(health.certificates.find((c: any) => c.role === 'HTTPS server')).toMatchObject({ usable: true, problems: [] });
    const expired = await issueCertificate({ commonName: 'facade.test', issuer: root, usages: ['serverAuth'], hosts: ['127.0.0.1'], keyType: 'p-256', notBefore: new Date(Date.now() - 10 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
    await expect(startTestFacade({ COMMUNITIES_FILE: communitiesFile([...sandbox.communities]), ALLOW_INSECURE_UPSTREAM: 'true', SERVER_TLS_CERT: write('expired.pem', expired.certPem), SERVER_TLS_KEY: write('expired.key', expired.keyPem) })).rejects.toThrow(/HTTPS server certificate .* expired/);
  });
});
