import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSecureContext } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { checkRevocationLists, revokedCertificates, RevocationListError } from '../../../../src/security/pki/crl';
import { splitCrls } from '../../../../src/security/pki/pem';
import { issueCertificate, issueCrl, type IssuedCertificate } from '../../../../src/security/pki/issue';

/** Revocation lists: what issueCrl makes (read back by the openssl CLI as referee) and what startup accepts. */

const DAY_MS = 86_400_000;
let root: IssuedCertificate;
let other: IssuedCertificate;
let leaf: IssuedCertificate;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxf-crl-'));

beforeAll(async () => {
  root = await issueCertificate({ commonName: 'CRL test root', ca: {}, keyType: 'p-256' });
  other = await issueCertificate({ commonName: 'CRL test root', ca: {}, keyType: 'p-256' }); // same name, other key
  leaf = await issueCertificate({ commonName: 'gw', issuer: root, keyType: 'p-256', usages: ['serverAuth'] });
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('issueCrl', () => {
  it('writes an RFC 7468 "X509 CRL" that OpenSSL verifies against its CA and that lists the revoked serial', async () => {
    const pem = await issueCrl(root, { revoked: [leaf] });
    expect(pem.startsWith('-----BEGIN X509 CRL-----\n')).toBe(true);
    const crlFile = path.join(dir, 'root.crl.pem');
    const caFile = path.join(dir, 'root.pem');
    fs.writeFileSync(crlFile, pem);
    fs.writeFileSync(caFile, root.certPem);
    // openssl crl -CAfile prints "verify OK" on stderr; execFileSync throws on a failed verification.
    const text = execFileSync('openssl', ['crl', '-in', crlFile, '-CAfile', caFile, '-noout', '-text'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(text).toMatch(/Issuer: CN\s?=\s?CRL test root/);
    expect(text.replace(/\s/g, '').toUpperCase()).toContain(`SERIALNUMBER:${leaf.certificate.serialNumber.toUpperCase()}`);
    expect(openssl(['crl', '-in', crlFile, '-noout', '-nextupdate'])).toMatch(/^nextUpdate=/);
    expect(() => createSecureContext({ ca: root.certPem, crl: pem })).not.toThrow();
  });
});

describe('checkRevocationLists', () => {
  it('accepts current lists signed by their CA, and reports each', async () => {
    const pem = (await issueCrl(root, { revoked: [leaf] })) + (await issueCrl(other));
    expect(splitCrls(pem)).toHaveLength(2);
    const lists = await checkRevocationLists('test', 'crl.pem', pem, root.certPem + other.certPem);
    expect(lists.map((l) => l.revoked)).toEqual([1, 0]);
    expect(lists[0]?.issuer).toMatch(/CN=CRL test root/);
  });

  it('refuses a list past its nextUpdate, or not yet valid, naming the date', async () => {
    const stale = await issueCrl(root, { thisUpdate: new Date(Date.now() - 3 * DAY_MS), nextUpdate: new Date(Date.now() - DAY_MS) });
    await expect(checkRevocationLists('test', 'crl.pem', stale, root.certPem)).rejects.toThrow(/expired on \d{4}-\d\d-\d\d/);
    const early = await issueCrl(root, { thisUpdate: new Date(Date.now() + DAY_MS) });
    await expect(checkRevocationLists('test', 'crl.pem', early, root.certPem)).rejects.toThrow(/not valid before/);
  });

  it('refuses a list that names a CA of the bundle as issuer without its signature', async () => {
    // Signed by `other`, which shares the root's name: only the signature tells them apart.
    const forged = await issueCrl(other);
    await expect(checkRevocationLists('test', 'crl.pem', forged, root.certPem)).rejects.toThrow(/does not carry the signature/);
  });

  it('refuses a file with no CRL in it, as a RevocationListError naming the role and file', async () => {
    const err = await checkRevocationLists('communities TLS', '/etc/crl.pem', root.certPem, root.certPem).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RevocationListError);
    expect((err as Error).message).toBe('The communities TLS revocation list (/etc/crl.pem) cannot be used: the file holds no X509 CRL (PEM "BEGIN X509 CRL")');
  });
});

describe('revokedCertificates (the check on every request)', () => {
  const serialOf = (c: IssuedCertificate): string => new X509Certificate(c.certPem).serialNumber;
  const derOf = (c: IssuedCertificate) => (): Uint8Array => new X509Certificate(c.certPem).raw;

  it('finds a revoked certificate by its serial number, written in any case and with leading zeros', async () => {
    const revoked = revokedCertificates(await issueCrl(root, { revoked: [leaf] }));
    expect(revoked.has(serialOf(leaf), derOf(leaf))).toBe(true);
    expect(revoked.has(`00${serialOf(leaf).toLowerCase()}`, derOf(leaf))).toBe(true);
  });

  it('does not take a certificate of another issuer for a revoked one with the same serial number', async () => {
    const revoked = revokedCertificates(await issueCrl(root, { revoked: [leaf] }));
    const elsewhere = await issueCertificate({ commonName: 'gw', issuer: await issueCertificate({ commonName: 'Another root', ca: {}, keyType: 'p-256' }), keyType: 'p-256', usages: ['serverAuth'] });
    expect(revoked.has(serialOf(leaf), derOf(elsewhere))).toBe(false);
  });

  it('reads the certificate only when its serial number is listed', async () => {
    const revoked = revokedCertificates(await issueCrl(root, { revoked: [leaf] }));
    const unlisted = await issueCertificate({ commonName: 'gw2', issuer: root, keyType: 'p-256', usages: ['serverAuth'] });
    const der = jest.fn(derOf(unlisted));
    expect(revoked.has(serialOf(unlisted), der)).toBe(false);
    expect(der).not.toHaveBeenCalled();
  });
});
