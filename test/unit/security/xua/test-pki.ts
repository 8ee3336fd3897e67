import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { XuaSigner, XuaSubject } from '../../../../src/security/xua/types';

/**
 * Keys and certificates made with openssl at test time (nothing is committed): a self-signed signer, an unrelated
 * self-signed certificate, and a small CA with a leaf it issued. Files stay in `dir` for xmlsec1 --trusted-pem.
 */
export interface TestCredential extends XuaSigner {
  readonly keyFile: string;
  readonly certFile: string;
}

export interface TestPki {
  readonly dir: string;
  readonly selfSigned: TestCredential;
  readonly stranger: TestCredential;
  readonly ca: TestCredential;
  readonly leaf: TestCredential;
  cleanup(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function credential(dir: string, name: string): TestCredential {
  const keyFile = path.join(dir, `${name}.key`);
  const certFile = path.join(dir, `${name}.pem`);
  return { keyFile, certFile, keyPem: fs.readFileSync(keyFile, 'utf8'), certPem: fs.readFileSync(certFile, 'utf8') };
}

function selfSigned(dir: string, name: string, subject: string, extra: string[] = []): TestCredential {
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', subject, ...extra], dir);
  return credential(dir, name);
}

/** Generate the test PKI in a fresh temporary folder (about a second of openssl work). */
export function makeTestPki(): TestPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xua-pki-'));
  const ca = selfSigned(dir, 'ca', '/C=GB/O=Test NHS Trust CA/CN=Test XUA CA', ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/C=GB/O=Test Facade/CN=leaf.facade.test'], dir);
  fs.writeFileSync(path.join(dir, 'leaf.ext'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n');
  openssl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '2', '-extfile', 'leaf.ext'], dir);
  return {
    dir,
    selfSigned: selfSigned(dir, 'signer', '/C=GB/O=Test Facade, Ltd/CN=facade.test'),
    stranger: selfSigned(dir, 'stranger', '/C=GB/O=Somebody Else/CN=stranger.test'),
    ca,
    leaf: credential(dir, 'leaf'),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** A complete subject with synthetic values (no real person; ODS code of a test organisation). */
export const TEST_SUBJECT: XuaSubject = {
  nameId: 'uid-5550001',
  subjectName: 'Dr Alex Example',
  organization: 'Example Imaging NHS Trust',
  organizationId: 'X26',
  homeCommunityId: 'urn:oid:1.2.826.0.1.999.100',
  role: { code: '309343006', system: '2.16.840.1.113883.6.96', display: 'Physician' },
  purposeOfUse: { code: 'TREATMENT', system: '2.16.840.1.113883.3.18.7.1', display: 'Treatment' },
};
