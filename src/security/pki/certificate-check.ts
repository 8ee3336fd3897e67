import { X509Certificate, createPrivateKey } from 'node:crypto';
import { CertificateError } from './certificate-error';
import { findTrustPath } from './chain';
import type { TlsUsage } from './issue';
import { splitCertificates } from './pem';
import { x509 } from './x509';

/**
 * Inspect a certificate chain, its private key and the trust it must lead to, before the service relies on them
 * (startup refusal, /_status, the days-until-expiry metric). Zero trust: expired, not yet valid, mismatched or
 * untrusted material is reported, and `assertUsable` turns any problem into a hard CertificateError.
 */

export { CertificateError } from './certificate-error';

export interface CertificateCheckInput {
  /** Leaf first, then its intermediate(s), as sent in the TLS handshake. */
  readonly certChainPem: string;
  /** The leaf's private key; absent: the key is not checked (e.g. a peer's chain). */
  readonly keyPem?: string;
  /** Trust anchors (one or more PEM certificates) the chain must lead to. */
  readonly trustPem: string;
  /** Default: now. Pass a later date to ask "will this still be valid then?". */
  readonly now?: Date;
  /** What the certificate is for, named in every message, e.g. "facade client (mTLS)". */
  readonly role: string;
  /** The file the chain came from, named in the message. */
  readonly source?: string;
  /** Purposes the leaf must allow when it carries an extendedKeyUsage (RFC 5280 4.2.1.12). */
  readonly requiredUsages?: readonly TlsUsage[];
}

export interface CertificateSummary {
  readonly position: 'leaf' | 'intermediate' | 'trust-anchor';
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Whole days left (negative once expired). */
  readonly daysUntilExpiry: number;
  readonly problems: readonly string[];
}

export interface CertificateReport {
  readonly role: string;
  readonly source: string | undefined;
  readonly checkedAt: Date;
  /** The chain as given, then the trust anchor it reached (if any). */
  readonly certificates: readonly CertificateSummary[];
  /** Problems of the whole: unreadable input, key mismatch, untrusted chain, missing purpose. */
  readonly problems: readonly string[];
  /** True when neither the whole nor any certificate has a problem. */
  readonly usable: boolean;
  /** The soonest expiry on the path (the number a renewal alert watches); undefined when nothing was readable. */
  readonly daysUntilExpiry: number | undefined;
}

const DAY_MS = 86_400_000;

/** Whole days from `now` until `notAfter`, rounded down: 0 on the last day, negative once expired. */
export function daysUntilExpiry(notAfter: Date, now: Date = new Date()): number {
  return Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
}

function parseAll(pem: string): X509Certificate[] {
  return splitCertificates(pem).map((block) => new X509Certificate(block));
}

function summarise(cert: X509Certificate, position: CertificateSummary['position'], now: Date): CertificateSummary {
  const parsed = new x509.X509Certificate(cert.raw);
  const { notBefore, notAfter } = parsed;
  const problems: string[] = [];
  if (now < notBefore) problems.push(`"${parsed.subject}" is not valid before ${notBefore.toISOString()}`);
  if (now > notAfter) problems.push(`"${parsed.subject}" expired on ${notAfter.toISOString()}`);
  return {
    position, subject: parsed.subject, issuer: parsed.issuer, serialNumber: parsed.serialNumber,
    notBefore, notAfter, daysUntilExpiry: daysUntilExpiry(notAfter, now), problems,
  };
}

function keyProblem(leaf: X509Certificate, keyPem: string): string | undefined {
  try {
    return leaf.checkPrivateKey(createPrivateKey(keyPem)) ? undefined : 'the private key does not match the leaf certificate';
  } catch {
    return 'the private key is unreadable (PEM, unencrypted, RSA or EC expected)';
  }
}

function usageProblems(leaf: X509Certificate, required: readonly TlsUsage[]): string[] {
  const present = leaf.keyUsage; // node:crypto names the extendedKeyUsage OIDs "keyUsage"; undefined = unrestricted
  if (present === undefined) return [];
  return required.filter((u) => !present.includes(x509.ExtendedKeyUsage[u])).map((u) => `the leaf certificate does not allow ${u}`);
}

function readOrProblem(pem: string, what: string, problems: string[]): X509Certificate[] {
  try {
    const certs = parseAll(pem);
    if (certs.length === 0) problems.push(`the ${what} holds no PEM certificate`);
    return certs;
  } catch {
    problems.push(`the ${what} holds an unreadable certificate`);
    return [];
  }
}

/** Problems of the first certificate and the path: key, purposes, order, trust. Returns the anchor reached, if any. */
function checkLeafAndPath(chain: readonly X509Certificate[], anchors: readonly X509Certificate[], input: CertificateCheckInput, problems: string[]): X509Certificate | undefined {
  const leaf = chain[0];
  if (leaf === undefined) return undefined;
  const mismatch = input.keyPem === undefined ? undefined : keyProblem(leaf, input.keyPem);
  if (mismatch !== undefined) problems.push(mismatch);
  problems.push(...usageProblems(leaf, input.requiredUsages ?? []));
  if (anchors.length === 0) return undefined;
  const trust = findTrustPath(chain, anchors, 'the configured trust anchors');
  if (trust.problem !== undefined) problems.push(trust.problem);
  return trust.anchor;
}

/** Inspect the chain, key and trust; never throws for bad input (that is a problem in the report). */
export function inspectCertificates(input: CertificateCheckInput): CertificateReport {
  const now = input.now ?? new Date();
  const problems: string[] = [];
  const chain = readOrProblem(input.certChainPem, 'certificate chain', problems);
  const anchors = readOrProblem(input.trustPem, 'trust bundle', problems);
  const isAnchor = (c: X509Certificate): boolean => anchors.some((a) => a.fingerprint256 === c.fingerprint256);
  const certificates = chain.map((c, i) => summarise(c, i === 0 ? 'leaf' : isAnchor(c) ? 'trust-anchor' : 'intermediate', now));
  const anchor = checkLeafAndPath(chain, anchors, input, problems);
  // The anchor's own validity matters too: OpenSSL checks the dates of every certificate on the path.
  if (anchor && !chain.some((c) => c.fingerprint256 === anchor.fingerprint256)) certificates.push(summarise(anchor, 'trust-anchor', now));
  const expiries = certificates.map((c) => c.daysUntilExpiry);
  return {
    role: input.role, source: input.source, checkedAt: now, certificates, problems,
    usable: problems.length === 0 && certificates.every((c) => c.problems.length === 0),
    daysUntilExpiry: expiries.length > 0 ? Math.min(...expiries) : undefined,
  };
}

/** Throw a CertificateError naming the role, the file and every problem, unless the report is clean. */
export function assertUsable(report: CertificateReport): void {
  if (report.usable) return;
  const all = [...report.certificates.flatMap((c) => c.problems), ...report.problems];
  throw new CertificateError(report.role, report.source, all);
}
