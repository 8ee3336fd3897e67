import { execFileSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDemoPki, issueCertificate, loadIssued, type DemoPki } from '../../../../src/security/pki/demo-pki';
import { splitCertificates } from '../../../../src/security/pki/pem';

/**
 * The demo PKI, refereed by openssl (an independent implementation): the files, their modes, reuse byte for byte,
 * re-issue of what is missing or expired, and chains that verify for their purpose and host.
 */

const GATEWAYS = ['community-a', 'community-b'];
let dir: string;
let pki: DemoPki;

const read = (file: string): string => fs.readFileSync(file, 'utf8');
const snapshot = (d: string): Record<string, string> =>
  Object.fromEntries(fs.readdirSync(d).sort().map((f) => [f, read(path.join(d, f))]));

/** Run openssl, returning its output; a non-zero exit throws with openssl's own message. */
function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function verify(leafCert: string, ...extra: string[]): string {
  return openssl('verify', '-CAfile', pki.rootCaCert, '-untrusted', pki.intermediateCaCert, ...extra, leafCert);
}

beforeAll(async () => {
  dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'demo-pki-')), 'pki');
  pki = await ensureDemoPki(dir, { gateways: GATEWAYS });
});

afterAll(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

describe('ensureDemoPki, first call', () => {
  it('writes the root, the intermediate and one leaf per party, and says it issued them all', () => {
    const leaves = ['facade', ...GATEWAYS].flatMap((n) => [`${n}.cert.pem`, `${n}.chain.pem`, `${n}.key.pem`]);
    expect(fs.readdirSync(dir).sort()).toEqual(['intermediate-ca.cert.pem', 'intermediate-ca.key.pem', ...leaves, 'root-ca.cert.pem'].sort());
    expect(pki.issued).toEqual(['root-ca', 'intermediate-ca', 'facade', ...GATEWAYS]);
    expect(pki.gateways['community-b']).toEqual({
      key: path.join(dir, 'community-b.key.pem'), cert: path.join(dir, 'community-b.cert.pem'), chain: path.join(dir, 'community-b.chain.pem'),
    });
  });

  it('keeps private keys readable by the owner only, and keeps no root key', () => {
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.key.pem'))) {
      expect([file, fs.statSync(path.join(dir, file)).mode & 0o777]).toEqual([file, 0o600]);
    }
    expect(fs.existsSync(path.join(dir, 'root-ca.key.pem'))).toBe(false);
  });

  it('makes RSA 2048 keys (the facade key also signs SAML with RSA-SHA256)', () => {
    const key = createPrivateKey(read(pki.facade.key));
    expect([key.asymmetricKeyType, key.asymmetricKeyDetails?.modulusLength]).toEqual(['rsa', 2048]);
  });

  it('writes each chain as leaf then intermediate', () => {
    for (const files of [pki.facade, ...Object.values(pki.gateways)]) {
      expect(splitCertificates(read(files.chain))).toEqual([...splitCertificates(read(files.cert)), ...splitCertificates(read(pki.intermediateCaCert))]);
    }
  });

  it('openssl verifies the facade leaf for client and server use and every gateway leaf for server use', () => {
    expect(verify(pki.facade.cert, '-purpose', 'sslclient')).toMatch(/: OK/);
    expect(verify(pki.facade.cert, '-purpose', 'sslserver', '-verify_hostname', 'localhost')).toMatch(/: OK/);
    for (const files of Object.values(pki.gateways)) {
      expect(verify(files.cert, '-purpose', 'sslserver', '-verify_ip', '127.0.0.1')).toMatch(/: OK/);
      expect(verify(files.cert, '-purpose', 'sslserver', '-verify_ip', '::1')).toMatch(/: OK/);
    }
  });

  it('openssl refuses a gateway leaf for client use, for another host, and without the intermediate', () => {
    const gateway = pki.gateways['community-a']!.cert;
    expect(() => verify(gateway, '-purpose', 'sslclient')).toThrow(/unsuitable certificate purpose/);
    expect(() => verify(gateway, '-verify_hostname', 'gateway.example.org')).toThrow(/hostname mismatch/);
    expect(() => openssl('verify', '-CAfile', pki.rootCaCert, gateway)).toThrow(/unable to get local issuer certificate/);
  });

  it('makes the intermediate a CA that may sign leaves only (pathLen 0) and the root a self-signed CA', () => {
    expect(openssl('x509', '-in', pki.intermediateCaCert, '-noout', '-ext', 'basicConstraints')).toMatch(/CA:TRUE, pathlen:0/);
    expect(openssl('verify', '-CAfile', pki.rootCaCert, pki.rootCaCert)).toMatch(/: OK/);
  });
});

describe('ensureDemoPki, later calls', () => {
  it('reuses every valid file byte for byte', async () => {
    const before = snapshot(dir);
    const again = await ensureDemoPki(dir, { gateways: GATEWAYS });
    expect(again.issued).toEqual([]);
    expect(snapshot(dir)).toEqual(before);
  });

  it('issues again only a leaf whose key is missing', async () => {
    const before = snapshot(dir);
    fs.rmSync(pki.gateways['community-b']!.key);
    const again = await ensureDemoPki(dir, { gateways: GATEWAYS });
    expect(again.issued).toEqual(['community-b']);
    const after = snapshot(dir);
    expect(after['community-b.cert.pem']).not.toBe(before['community-b.cert.pem']);
    expect(after['facade.cert.pem']).toBe(before['facade.cert.pem']);
    expect(verify(pki.gateways['community-b']!.cert, '-purpose', 'sslserver')).toMatch(/: OK/);
  });

  it('issues again a leaf that has expired', async () => {
    const intermediate = await loadIssued(read(pki.intermediateCaCert), read(path.join(dir, 'intermediate-ca.key.pem')));
    const expired = await issueCertificate({
      commonName: 'community-a', issuer: intermediate, keyType: 'p-256', usages: ['serverAuth'], hosts: ['127.0.0.1'],
      notBefore: new Date(Date.now() - 10 * 86_400_000), notAfter: new Date(Date.now() - 60_000),
    });
    fs.writeFileSync(pki.gateways['community-a']!.cert, expired.certPem);
    fs.writeFileSync(pki.gateways['community-a']!.chain, expired.certPem + intermediate.certPem);
    fs.writeFileSync(pki.gateways['community-a']!.key, expired.keyPem);
    expect(() => verify(pki.gateways['community-a']!.cert)).toThrow(/certificate has expired/);
    expect((await ensureDemoPki(dir, { gateways: GATEWAYS })).issued).toEqual(['community-a']);
    expect(verify(pki.gateways['community-a']!.cert)).toMatch(/: OK/);
  });

  it('issues a leaf for a new gateway, and new leaves when the host names change', async () => {
    expect((await ensureDemoPki(dir, { gateways: [...GATEWAYS, 'community-c'] })).issued).toEqual(['community-c']);
    const moved = await ensureDemoPki(dir, { gateways: ['community-c'], hosts: ['127.0.0.1', 'sandbox.internal'] });
    expect(moved.issued).toEqual(['facade', 'community-c']);
    expect(verify(moved.gateways['community-c']!.cert, '-verify_hostname', 'sandbox.internal')).toMatch(/: OK/);
  });

  it('makes the whole PKI again when the intermediate is missing', async () => {
    const oldRoot = read(pki.rootCaCert);
    fs.rmSync(pki.intermediateCaCert);
    const again = await ensureDemoPki(dir, { gateways: GATEWAYS });
    expect(again.issued).toEqual(['root-ca', 'intermediate-ca', 'facade', ...GATEWAYS]);
    expect(read(pki.rootCaCert)).not.toBe(oldRoot);
    expect(verify(pki.facade.cert, '-purpose', 'sslclient')).toMatch(/: OK/);
  });

  it('refuses gateway names that are not plain file names or that collide with the PKI\'s own', async () => {
    await expect(ensureDemoPki(dir, { gateways: ['../escape'] })).rejects.toThrow(/invalid sandbox gateway name/);
    await expect(ensureDemoPki(dir, { gateways: ['facade'] })).rejects.toThrow(/invalid sandbox gateway name/);
    await expect(ensureDemoPki(dir, { gateways: ['a', 'a'] })).rejects.toThrow(/unique/);
  });
});

describe('ensureDemoPki, two starts at once', () => {
  it('creates one consistent PKI (the directory lock serialises them)', async () => {
    const shared = path.join(path.dirname(dir), 'shared');
    const [first, second] = await Promise.all([ensureDemoPki(shared), ensureDemoPki(shared)]);
    expect([...first.issued, ...second.issued].sort()).toEqual(['facade', 'intermediate-ca', 'root-ca']);
    expect(openssl('verify', '-CAfile', first.rootCaCert, '-untrusted', first.intermediateCaCert, first.facade.cert)).toMatch(/facade\.cert\.pem: OK/);
    expect(second.facade).toEqual(first.facade);
    expect(fs.readdirSync(shared).filter((f) => f.includes('lock') || f.endsWith('.tmp'))).toEqual([]);
  });
});
