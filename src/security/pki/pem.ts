/**
 * PEM text (RFC 7468): a bundle holds one or more blocks; node:crypto's X509Certificate reads only the first, so a
 * chain or a trust bundle is split into its certificates first.
 */

const BLOCKS = {
  CERTIFICATE: /-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+?-----END CERTIFICATE-----/g,
  'X509 CRL': /-----BEGIN X509 CRL-----\r?\n[A-Za-z0-9+/=\r\n]+?-----END X509 CRL-----/g,
} as const;

/** Every block labelled `label` of a PEM text, in order, each ending with a newline; anything else is ignored. */
function splitBlocks(pem: string, label: keyof typeof BLOCKS): string[] {
  return Array.from(pem.matchAll(BLOCKS[label]), (m) => `${m[0].replace(/\r\n/g, '\n')}\n`);
}

/** Every CERTIFICATE block of a PEM text. */
export function splitCertificates(pem: string): string[] {
  return splitBlocks(pem, 'CERTIFICATE');
}

/** Every X509 CRL block of a PEM text (RFC 7468 section 9). */
export function splitCrls(pem: string): string[] {
  return splitBlocks(pem, 'X509 CRL');
}

/** Several PEM texts as one bundle (e.g. leaf then intermediate, the order TLS sends them: RFC 8446 4.4.2). */
export function joinPem(...blocks: readonly string[]): string {
  return blocks.map((b) => (b.endsWith('\n') ? b : `${b}\n`)).join('');
}
