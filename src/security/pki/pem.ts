/**
 * PEM text (RFC 7468): a bundle holds one or more blocks; node:crypto's X509Certificate reads only the first, so a
 * chain or a trust bundle is split into its certificates first.
 */

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+?-----END CERTIFICATE-----/g;

/** Every CERTIFICATE block of a PEM text, in order, each ending with a newline; anything else is ignored. */
export function splitCertificates(pem: string): string[] {
  return Array.from(pem.matchAll(CERTIFICATE_BLOCK), (m) => `${m[0].replace(/\r\n/g, '\n')}\n`);
}

/** Several PEM texts as one bundle (e.g. leaf then intermediate, the order TLS sends them: RFC 8446 4.4.2). */
export function joinPem(...blocks: readonly string[]): string {
  return blocks.map((b) => (b.endsWith('\n') ? b : `${b}\n`)).join('');
}
