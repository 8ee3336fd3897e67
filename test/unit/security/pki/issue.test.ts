import { X509Certificate } from 'node:crypto';
import { issueCertificate, loadIssued, type IssuedCertificate } from '../../../../src/security/pki/issue';
import { x509 } from '../../../../src/security/pki/x509';

/** issueCertificate as node:crypto (OpenSSL) reads the result. */

let root: IssuedCertificate;

beforeAll(async () => {
  root = await issueCertificate({ commonName: 'Issue test root', ca: {}, keyType: 'p-256' });
});

describe('issueCertificate', () => {
  it('makes a self-signed CA when no issuer is given', () => {
    const cert = new X509Certificate(root.certPem);
    expect(cert.ca).toBe(true);
    expect(cert.checkIssued(cert)).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.subject).toBe('CN=Issue test root\nO=mhd-xca-facade demo PKI (not for production)');
    expect(root.certPem.endsWith('-----END CERTIFICATE-----\n')).toBe(true);
  });

  it('makes a leaf with the asked purposes and subjectAltName, signed by its issuer', async () => {
    const leaf = await issueCertificate({ commonName: 'gw', issuer: root, keyType: 'p-256', usages: ['serverAuth', 'clientAuth'], hosts: ['127.0.0.1', '::1', 'localhost'] });
    const cert = new X509Certificate(leaf.certPem);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(new X509Certificate(root.certPem)) && cert.verify(new X509Certificate(root.certPem).publicKey)).toBe(true);
    expect(cert.keyUsage).toEqual([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]);
    expect(cert.subjectAltName).toBe('IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:localhost');
  });

  it('leaves out extendedKeyUsage and subjectAltName when none are asked for', async () => {
    const leaf = await issueCertificate({ commonName: 'bare', issuer: root, keyType: 'p-256' });
    const cert = new X509Certificate(leaf.certPem);
    expect(cert.keyUsage).toBeUndefined();
    expect(cert.subjectAltName).toBeUndefined();
  });

  it('honours explicit dates, and reuses a given key pair', async () => {
    const notBefore = new Date('2020-01-01T00:00:00Z');
    const notAfter = new Date('2020-02-01T00:00:00Z');
    const old = await issueCertificate({ commonName: 'old', issuer: root, keys: root.keys, notBefore, notAfter });
    expect([old.certificate.notBefore, old.certificate.notAfter]).toEqual([notBefore, notAfter]);
    expect(new X509Certificate(old.certPem).publicKey.equals(new X509Certificate(root.certPem).publicKey)).toBe(true);
  });

  it('round-trips through PEM: a loaded issuer signs as the original would', async () => {
    const loaded = await loadIssued(root.certPem, root.keyPem);
    const leaf = await issueCertificate({ commonName: 'child', issuer: loaded, keyType: 'p-256' });
    expect(new X509Certificate(leaf.certPem).verify(new X509Certificate(root.certPem).publicKey)).toBe(true);
  });
});
