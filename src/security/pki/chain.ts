import type { X509Certificate } from 'node:crypto';

/**
 * Certification path validation, the parts a startup check needs (RFC 5280 6.1, simplified): each certificate must
 * be signed by the next one, every issuer must be a CA, and the path must end at a trust anchor. Signatures are
 * checked by OpenSSL through node:crypto, the same library that will check them during the TLS handshake.
 */

export interface TrustPath {
  /** The chain certificates the path used, leaf first. */
  readonly path: readonly X509Certificate[];
  /** The trust anchor reached, when one was. */
  readonly anchor?: X509Certificate;
  /** Why no trust anchor was reached. */
  readonly problem?: string;
}

/** True when `issuer` issued `cert`: names and key identifiers match (X509_check_issued) and the signature verifies. */
function issued(issuer: X509Certificate, cert: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function anchorFor(cert: X509Certificate, anchors: readonly X509Certificate[]): X509Certificate | undefined {
  // A pinned certificate (the anchor is the certificate itself) counts; otherwise the anchor must be a CA.
  return anchors.find((a) => a.fingerprint256 === cert.fingerprint256 || (a.ca && issued(a, cert)));
}

const name = (c: X509Certificate): string => `"${c.subject.replace(/\n/g, ', ')}"`;

/** Certificates sent after the path reached its anchor must be anchors (a root may be sent along, needlessly). */
function strayProblem(rest: readonly X509Certificate[], anchors: readonly X509Certificate[]): { problem?: string } {
  const stray = rest.find((c) => !anchors.some((a) => a.fingerprint256 === c.fingerprint256));
  return stray ? { problem: `${name(stray)} is not on the path to the trust anchor: the chain is out of order or holds a stray certificate` } : {};
}

/**
 * Walk the chain in the order it is sent (leaf first, then each issuer: RFC 8446 4.4.2, and TLS 1.2 requires that
 * order) until a certificate is issued by, or is, one of the anchors.
 */
export function findTrustPath(chain: readonly X509Certificate[], anchors: readonly X509Certificate[], trustName: string): TrustPath {
  for (let i = 0; i < chain.length; i++) {
    const cert = chain[i] as X509Certificate;
    const path = chain.slice(0, i + 1);
    const anchor = anchorFor(cert, anchors);
    if (anchor) return { path, anchor, ...strayProblem(chain.slice(i + 1), anchors) };
    const next = chain[i + 1];
    if (next === undefined) return { path, problem: `${name(cert)} is not issued by ${trustName}` };
    if (!issued(next, cert)) return { path, problem: `the chain is broken or out of order: ${name(next)} did not issue ${name(cert)}` };
    if (!next.ca) return { path, problem: `${name(next)} issued ${name(cert)} but is not a CA` };
  }
  return { path: [], problem: 'the chain holds no certificate' };
}
