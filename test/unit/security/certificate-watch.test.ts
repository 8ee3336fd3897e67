import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CertificateWatch, type CertificateStatus } from '../../../src/security/certificate-watch';
import { issueCertificate } from '../../../src/security/pki/issue';
import { captureLogs } from '../../integration/cache/helpers';

/**
 * Revocation lists in the certificate watch: a list read at startup goes out of date at its nextUpdate, after which
 * every TLS connection it covers is refused, so /_status (503), the expiry metric and the logs must say so.
 */
const HOUR_MS = 3_600_000;
const T0 = new Date('2026-11-24T06:00:00Z');

function watchAt(clock: { now: Date }) {
  const logs = captureLogs();
  const seen: CertificateStatus[][] = [];
  const list = { role: 'communities TLS revocation list of CN=Root', source: '/etc/crl.pem', thisUpdate: T0, nextUpdate: new Date(T0.getTime() + 4 * HOUR_MS) };
  const watch = new CertificateWatch([], logs.logger, (statuses) => seen.push([...statuses]), { revocationLists: [list], now: () => clock.now });
  return { watch, logs, seen };
}

describe('CertificateWatch with revocation lists', () => {
  it('reports a current list as usable, with the time left in days, and logs nothing', () => {
    const clock = { now: new Date(T0.getTime() + HOUR_MS) };
    const { watch, logs, seen } = watchAt(clock);
    const [status] = watch.check(true);
    expect(status).toEqual({
      role: 'communities TLS revocation list of CN=Root',
      source: '/etc/crl.pem',
      usable: true,
      daysUntilExpiry: 0.12,
      notAfter: '2026-11-24T10:00:00.000Z',
      problems: [],
    });
    expect(seen).toHaveLength(1);
    expect(logs.records.filter((r) => r.level >= 40)).toEqual([]);
  });

  it('warns in the last quarter of the list\'s life, then reports it unusable once out of date', () => {
    const clock = { now: new Date(T0.getTime() + 3.5 * HOUR_MS) };
    const { watch, logs } = watchAt(clock);
    expect(watch.check(false)[0]?.usable).toBe(true);
    expect(logs.records.some((r) => r.level === 40 && r.msg === 'revocation list goes out of date soon')).toBe(true);
    clock.now = new Date(T0.getTime() + 5 * HOUR_MS);
    const [late] = watch.check(false);
    expect(late?.usable).toBe(false);
    expect(late?.problems[0]).toMatch(/out of date since 2026-11-24T10:00:00.000Z/);
    expect(watch.snapshot().every((s) => s.usable)).toBe(false);
    expect(logs.records.some((r) => r.level === 50 && r.msg === 'revocation list out of date')).toBe(true);
  });

  it('checks the certificate in use, read when the watch was made, not what was put in its file since', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxf-watch-'));
    const root = await issueCertificate({ commonName: 'Watch root', ca: {}, keyType: 'p-256' });
    const inUse = await issueCertificate({ commonName: 'facade', issuer: root, usages: ['clientAuth'], keyType: 'p-256', validityDays: 90 });
    const files = { chainFile: path.join(dir, 'chain.pem'), keyFile: path.join(dir, 'key.pem'), trustFile: path.join(dir, 'root.pem') };
    fs.writeFileSync(files.chainFile, inUse.certPem);
    fs.writeFileSync(files.keyFile, inUse.keyPem);
    fs.writeFileSync(files.trustFile, root.certPem);
    const clock = { now: new Date() };
    const watch = new CertificateWatch([{ role: 'TLS client', ...files, requiredUsages: ['clientAuth'] }], captureLogs().logger, undefined, { now: () => clock.now });
    expect(watch.check(true)[0]?.usable).toBe(true);
    // An expired certificate put in the file is not what this process presents: it is still the one read at startup.
    const expired = await issueCertificate({ commonName: 'facade', issuer: root, usages: ['clientAuth'], keyType: 'p-256', notBefore: new Date(Date.now() - 10 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
    fs.writeFileSync(files.chainFile, expired.certPem);
    fs.writeFileSync(files.keyFile, expired.keyPem);
    const [still] = watch.check(false);
    expect(still).toMatchObject({ usable: true, notAfter: inUse.certificate.notAfter.toISOString() });
    // And the one in use is judged at each check's time: past its notAfter it is unusable.
    clock.now = new Date(inUse.certificate.notAfter.getTime() + 1000);
    expect(watch.check(false)[0]?.usable).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
