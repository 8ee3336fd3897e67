import { assertUsable, CertificateError, daysUntilExpiry, inspectCertificates, type CertificateCheckInput } from '../../../../src/security/pki/certificate-check';
import { issueCertificate, type IssuedCertificate } from '../../../../src/security/pki/issue';

/**
 * The startup check on our own certificate material. P-256 keys, made once and reused: the check does not care
 * about the algorithm, and key generation is the slow part.
 */

const DAY = 86_400_000;
const now = new Date();
let root: IssuedCertificate;
let intermediate: IssuedCertificate;
let leaf: IssuedCertificate;
let otherRoot: IssuedCertificate;

const at = (days: number): Date => new Date(now.getTime() + days * DAY);

async function leafWith(opts: { notBefore?: Date; notAfter?: Date; usages?: ('clientAuth' | 'serverAuth')[]; issuer?: IssuedCertificate }): Promise<IssuedCertificate> {
  return issueCertificate({ commonName: 'facade', keys: leaf.keys, issuer: opts.issuer ?? intermediate, usages: opts.usages ?? ['clientAuth'], ...opts });
}

function input(overrides: Partial<CertificateCheckInput> = {}): CertificateCheckInput {
  return {
    certChainPem: leaf.certPem + intermediate.certPem, keyPem: leaf.keyPem, trustPem: root.certPem,
    role: 'facade client (mTLS)', source: '/etc/facade/client.chain.pem', now, ...overrides,
  };
}

/** The CertificateError assertUsable throws for this input. */
function refusal(overrides: Partial<CertificateCheckInput>): CertificateError {
  try {
    assertUsable(inspectCertificates(input(overrides)));
  } catch (err) {
    if (err instanceof CertificateError) return err;
    throw err;
  }
  throw new Error('assertUsable accepted the certificate');
}

beforeAll(async () => {
  root = await issueCertificate({ commonName: 'Test root', ca: {}, keyType: 'p-256', validityDays: 3650 });
  intermediate = await issueCertificate({ commonName: 'Test intermediate', ca: { pathLength: 0 }, issuer: root, keyType: 'p-256', validityDays: 1000 });
  leaf = await issueCertificate({ commonName: 'facade', issuer: intermediate, keyType: 'p-256', usages: ['clientAuth'], notBefore: at(-10), notAfter: at(90) });
  otherRoot = await issueCertificate({ commonName: 'Test root', ca: {}, keyType: 'p-256' });
});

describe('a good chain', () => {
  it('is usable and described certificate by certificate, trust anchor included', () => {
    const report = inspectCertificates(input());
    expect(report.usable).toBe(true);
    expect(report.problems).toEqual([]);
    expect(report.certificates.map((c) => [c.position, c.subject, c.problems])).toEqual([
      ['leaf', expect.stringContaining('CN=facade'), []],
      ['intermediate', expect.stringContaining('CN=Test intermediate'), []],
      ['trust-anchor', expect.stringContaining('CN=Test root'), []],
    ]);
    expect(report.certificates[0]).toMatchObject({ issuer: expect.stringContaining('CN=Test intermediate'), daysUntilExpiry: 89 });
    expect(report.certificates[0]!.notAfter.getTime()).toBe(Math.floor(at(90).getTime() / 1000) * 1000);
    expect(report.daysUntilExpiry).toBe(89);
    expect(() => assertUsable(report)).not.toThrow();
  });

  it('is usable without its key when only the chain is checked, and with the required purpose', () => {
    expect(inspectCertificates(input({ keyPem: undefined, requiredUsages: ['clientAuth'] })).usable).toBe(true);
  });
});

describe('refused material', () => {
  it('an expired leaf, naming the role, the file and the date', async () => {
    const expired = await leafWith({ notBefore: at(-30), notAfter: at(-0.5) });
    const err = refusal({ certChainPem: expired.certPem + intermediate.certPem });
    expect(err.message).toMatch(/^The facade client \(mTLS\) certificate \(\/etc\/facade\/client\.chain\.pem\) cannot be used: "CN=facade, O=.*" expired on \d{4}-\d\d-\d\dT/);
    expect(err.role).toBe('facade client (mTLS)');
    expect(inspectCertificates(input({ certChainPem: expired.certPem + intermediate.certPem })).daysUntilExpiry).toBe(-1);
  });

  it('a leaf not valid yet', async () => {
    const early = await leafWith({ notBefore: at(2), notAfter: at(100) });
    expect(refusal({ certChainPem: early.certPem + intermediate.certPem }).message).toMatch(/"CN=facade, .*" is not valid before /);
  });

  it('a chain that is good today but not on the date asked about', () => {
    expect(refusal({ now: at(120) }).message).toMatch(/expired on/);
  });

  it('a key that does not belong to the leaf', () => {
    expect(refusal({ keyPem: intermediate.keyPem }).problems).toEqual(['the private key does not match the leaf certificate']);
  });

  it('an unreadable key', () => {
    expect(refusal({ keyPem: 'not a key' }).problems).toEqual([expect.stringMatching(/private key is unreadable/)]);
  });

  it('a chain leading to another trust anchor (same name, other key)', () => {
    expect(refusal({ trustPem: otherRoot.certPem }).problems).toEqual([expect.stringMatching(/"CN=Test intermediate, .*" is not issued by the configured trust anchors/)]);
  });

  it('a leaf sent without its intermediate', () => {
    expect(refusal({ certChainPem: leaf.certPem }).message).toMatch(/"CN=facade, .*" is not issued by the configured trust anchors/);
  });

  it('a chain in the wrong order', () => {
    expect(refusal({ certChainPem: intermediate.certPem + leaf.certPem, keyPem: undefined }).problems)
      .toEqual([expect.stringMatching(/^"CN=facade, .*" is not on the path to the trust anchor: the chain is out of order/)]);
    expect(refusal({ certChainPem: leaf.certPem + root.certPem + intermediate.certPem }).problems)
      .toEqual([expect.stringMatching(/the chain is broken or out of order: "CN=Test root, .*" did not issue "CN=facade/)]);
  });

  it('accepts the root sent along after the intermediate', () => {
    const report = inspectCertificates(input({ certChainPem: leaf.certPem + intermediate.certPem + root.certPem }));
    expect(report.usable).toBe(true);
    expect(report.certificates.map((c) => c.position)).toEqual(['leaf', 'intermediate', 'trust-anchor']);
  });

  it('an expired trust anchor', async () => {
    const oldRoot = await issueCertificate({ commonName: 'Old root', ca: {}, keys: root.keys, notBefore: at(-400), notAfter: at(-1) });
    const mid = await issueCertificate({ commonName: 'Mid', ca: { pathLength: 0 }, issuer: oldRoot, keys: intermediate.keys, notBefore: at(-300) });
    const child = await leafWith({ issuer: mid });
    const report = inspectCertificates(input({ certChainPem: child.certPem + mid.certPem, trustPem: oldRoot.certPem }));
    expect(report.certificates.map((c) => c.position)).toEqual(['leaf', 'intermediate', 'trust-anchor']);
    expect(() => assertUsable(report)).toThrow(/"CN=Old root, .*" expired on/);
  });

  it('a leaf whose extendedKeyUsage lacks a required purpose', async () => {
    const serverOnly = await leafWith({ usages: ['serverAuth'] });
    expect(refusal({ certChainPem: serverOnly.certPem + intermediate.certPem, requiredUsages: ['clientAuth'] }).problems)
      .toEqual(['the leaf certificate does not allow clientAuth']);
  });

  it('text holding no certificate, without throwing from inspectCertificates', () => {
    const report = inspectCertificates(input({ certChainPem: 'garbage' }));
    expect(report.usable).toBe(false);
    expect(report.daysUntilExpiry).toBeUndefined();
    expect(report.problems).toEqual(['the certificate chain holds no PEM certificate']);
  });

  it('a damaged certificate', () => {
    const damaged = leaf.certPem.replace(/(-----BEGIN CERTIFICATE-----\n)..../, '$1AAAA');
    expect(inspectCertificates(input({ certChainPem: damaged })).problems).toEqual(['the certificate chain holds an unreadable certificate']);
  });

  it('every problem at once, in one message', async () => {
    const expired = await leafWith({ notBefore: at(-30), notAfter: at(-1) });
    const err = refusal({ certChainPem: expired.certPem + intermediate.certPem, keyPem: root.keyPem, trustPem: otherRoot.certPem, source: undefined });
    expect(err.message).toMatch(/^The facade client \(mTLS\) certificate cannot be used: .*expired on .*; the private key does not match .*; .*not issued by/);
    expect(err.problems).toHaveLength(3);
  });
});

describe('daysUntilExpiry', () => {
  const notAfter = new Date('2030-06-15T12:00:00Z');

  it('counts whole days left, 0 on the last day and negative after', () => {
    expect(daysUntilExpiry(notAfter, new Date('2030-06-05T12:00:00Z'))).toBe(10);
    expect(daysUntilExpiry(notAfter, new Date('2030-06-05T12:00:01Z'))).toBe(9);
    expect(daysUntilExpiry(notAfter, new Date('2030-06-15T11:00:00Z'))).toBe(0);
    expect(daysUntilExpiry(notAfter, new Date('2030-06-15T13:00:00Z'))).toBe(-1);
  });

  it('defaults to now', () => {
    expect(daysUntilExpiry(at(3.5))).toBe(3);
  });
});
