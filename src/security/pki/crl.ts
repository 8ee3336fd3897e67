import { x509 } from './x509';
import { CertificateError } from './certificate-error';
import { splitCertificates, splitCrls } from './pem';

/**
 * Certificate revocation lists (RFC 5280 section 5) for the TLS trust on either side. node:tls checks them during
 * the handshake once given as `crl` (OpenSSL's CRL_CHECK and CRL_CHECK_ALL: every certificate of the peer's chain
 * below the anchor needs a current list from its issuer, and a revoked one is refused as CERT_REVOKED). What OpenSSL
 * would only find out on the first connection is checked here at startup, so that a wrong file stops the service
 * with one message instead of failing every call: each list must be current (thisUpdate passed, nextUpdate not), and
 * one whose issuer is a CA of the trust bundle must carry that CA's signature (the list of an intermediate CA, which
 * the peer sends in its chain, is verified by OpenSSL against that chain). Zero trust: an out-of-date list is not a
 * reason to skip the check, it is a reason not to start.
 */

/** A revocation list the service must not use (a CertificateError: startup treats it as one). */
export class RevocationListError extends CertificateError {
  constructor(role: string, source: string, problems: readonly string[]) {
    super(role, source, problems, 'revocation list');
    this.name = 'RevocationListError';
  }
}

/** What a usable list says, for the startup log. */
export interface CrlSummary {
  readonly issuer: string;
  readonly revoked: number;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
}

/** False when the list names a CA of the bundle as its issuer but no such CA signed it. */
async function signatureHolds(crl: x509.X509Crl, anchors: readonly x509.X509Certificate[]): Promise<boolean> {
  const issuers = anchors.filter((a) => a.subject === crl.issuer);
  if (issuers.length === 0) return true;
  for (const anchor of issuers) {
    if (await crl.verify({ publicKey: anchor.publicKey }).catch(() => false)) return true;
  }
  return false;
}

/**
 * Check the revocation lists of `crlPem` against the CAs of `trustPem`.
 * @throws RevocationListError (role `role`, source `source`) naming every problem found.
 */
export async function checkRevocationLists(role: string, source: string, crlPem: string, trustPem: string, now: Date = new Date()): Promise<CrlSummary[]> {
  const blocks = splitCrls(crlPem);
  if (blocks.length === 0) throw new RevocationListError(role, source, ['the file holds no X509 CRL (PEM "BEGIN X509 CRL")']);
  const anchors = splitCertificates(trustPem).map((pem) => new x509.X509Certificate(pem));
  const problems: string[] = [];
  const summaries: CrlSummary[] = [];
  for (const [i, block] of blocks.entries()) {
    let crl: x509.X509Crl;
    try {
      crl = new x509.X509Crl(block);
    } catch {
      problems.push(`revocation list ${i + 1} is not a readable X509 CRL`);
      continue;
    }
    const name = `the revocation list of ${crl.issuer}`;
    if (!(await signatureHolds(crl, anchors))) problems.push(`${name} does not carry the signature of that CA in the trust bundle`);
    if (crl.thisUpdate.getTime() > now.getTime()) problems.push(`${name} is not valid before ${crl.thisUpdate.toISOString()}`);
    if (crl.nextUpdate !== undefined && crl.nextUpdate.getTime() <= now.getTime()) {
      problems.push(`${name} expired on ${crl.nextUpdate.toISOString()} (fetch its current list)`);
    }
    summaries.push({ issuer: crl.issuer, revoked: crl.entries.length, thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate });
  }
  if (problems.length > 0) throw new RevocationListError(role, source, problems);
  return summaries;
}

/** The certificates some revocation lists revoke, looked up by serial number and confirmed by issuer. */
export interface RevokedCertificates {
  /** `serialNumber` in hex (any case, leading zeros or not); `certificateDer` is read only when that serial is listed. */
  has(serialNumber: string, certificateDer: () => Uint8Array): boolean;
}

/**
 * The certificates the lists of `crlPem` revoke (issuer and serial number), for a check on every request: node:tls
 * checks revocation once, at the handshake, and a kept-alive connection outlives a list revoking its certificate
 * since. The lists are read as they are; checkRevocationLists is what vouches for them.
 */
export function revokedCertificates(crlPem: string): RevokedCertificates {
  const serial = (hex: string): string => hex.toLowerCase().replace(/^0+/, '');
  /** Serial number -> the issuers whose lists revoke a certificate with that serial. */
  const revoked = new Map<string, Set<string>>();
  for (const block of splitCrls(crlPem)) {
    const crl = new x509.X509Crl(block);
    for (const entry of crl.entries) {
      const key = serial(entry.serialNumber);
      revoked.set(key, (revoked.get(key) ?? new Set<string>()).add(crl.issuer));
    }
  }
  return {
    has(serialNumber, certificateDer) {
      const issuers = revoked.get(serial(serialNumber));
      // Serial numbers are unique per issuer only: a listed one is confirmed by the certificate's issuer.
      return issuers !== undefined && issuers.has(new x509.X509Certificate(certificateDer()).issuer);
    },
  };
}
