import { X509Certificate } from 'node:crypto';
import { reject } from './result';

/**
 * Does the signing certificate of the assertion chain to a certificate we trust? The trust list holds CA
 * certificates or the signing certificate itself (a self-signed sandbox peer). Chain building is deliberately
 * small: from the KeyInfo certificate, through intermediates sent alongside it in KeyInfo (each must be a CA),
 * to an anchor of the trust list; every certificate on the way must be within its validity period (with skew).
 * Revocation is out of scope here (no CRL/OCSP fetching from a verifier that must not reach the network).
 */

const MAX_CHAIN = 5;
const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate of a list of PEM strings (each may be a bundle). Unreadable anchors are a configuration error. */
export function parseTrustAnchors(trustedCertsPem: readonly string[]): X509Certificate[] {
  return trustedCertsPem.flatMap((pem) => (pem.match(PEM_CERT) ?? []).map((block) => new X509Certificate(block)));
}

function fromBase64(b64: string): X509Certificate {
  try {
    return new X509Certificate(Buffer.from(b64, 'base64'));
  } catch {
    return reject('untrusted', 'a KeyInfo X509Certificate is not a readable X.509 certificate');
  }
}

/** The verifier's clock: the instant and the allowed difference with the sender's clock, in milliseconds. */
export interface TrustClock {
  readonly now: number;
  readonly skewMs: number;
}

function checkValidity(cert: X509Certificate, role: string, clock: TrustClock): void {
  if (clock.now + clock.skewMs < Date.parse(cert.validFrom)) reject('untrusted', `the ${role} certificate is not valid yet`);
  if (clock.now - clock.skewMs > Date.parse(cert.validTo)) reject('untrusted', `the ${role} certificate has expired`);
}

/** `issuer` issued `cert`: names match and its key verifies the certificate's signature. */
function issued(issuer: X509Certificate, cert: X509Certificate): boolean {
  return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
}

function chainToAnchor(leaf: X509Certificate, intermediates: readonly X509Certificate[], anchors: readonly X509Certificate[], clock: TrustClock): void {
  let current = leaf;
  for (let depth = 0; depth <= MAX_CHAIN; depth++) {
    if (anchors.some((anchor) => anchor.raw.equals(current.raw))) return;
    const anchor = anchors.find((a) => a.ca && issued(a, current));
    if (anchor) return checkValidity(anchor, 'trusted issuing', clock);
    const next = intermediates.find((c) => c.ca && c !== current && issued(c, current));
    if (!next) return reject('untrusted', 'the signing certificate does not chain to a trusted certificate');
    checkValidity(next, 'intermediate', clock);
    current = next;
  }
  reject('untrusted', 'the certificate chain is too long');
}

/**
 * The signing certificate (PEM) once it is shown to chain to a trust anchor and to be valid now.
 * `certificates` are the KeyInfo values, signing certificate first. Throws WssRejection('untrusted').
 */
export function establishTrust(certificates: readonly string[], anchors: readonly X509Certificate[], clock: TrustClock): string {
  const [leafB64, ...rest] = certificates;
  if (leafB64 === undefined) return reject('untrusted', 'the signature carries no X509Certificate in KeyInfo, so its signer cannot be trusted');
  const leaf = fromBase64(leafB64);
  chainToAnchor(leaf, rest.map(fromBase64), anchors, clock);
  checkValidity(leaf, 'signing', clock);
  return leaf.toString();
}
