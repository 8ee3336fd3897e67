import { isIP } from 'node:net';
import { generateKeyPair, keyPairFromPem, privateKeyToPem, signingAlgorithm, type KeyType } from './keys';
import { x509, type CryptoKeyPair } from './x509';

/**
 * Issue one X.509 v3 certificate (RFC 5280) with @peculiar/x509: a self-signed root, a CA below an issuer, or a
 * TLS leaf. The demo PKI is built from it, and tests use it to make the bad certificates a zero-trust client
 * must refuse (expired, not yet valid, wrong CA, wrong host, no clientAuth).
 */

/** The TLS purposes of a leaf (RFC 5280 4.2.1.12, id-kp-serverAuth / id-kp-clientAuth). */
export type TlsUsage = 'serverAuth' | 'clientAuth';

/** A certificate together with its key pair and both as PEM. */
export interface IssuedCertificate {
  readonly certificate: x509.X509Certificate;
  readonly keys: CryptoKeyPair;
  /** PEM, ending with a newline (concatenate freely). */
  readonly certPem: string;
  /** Unencrypted PKCS#8 PEM. */
  readonly keyPem: string;
}

export interface IssueCertificateOptions {
  readonly commonName: string;
  /** Default: a marker that this PKI is a demo, so nobody mistakes its certificates for real ones. */
  readonly organization?: string;
  /** The signer; absent: self-signed (a root CA). */
  readonly issuer?: IssuedCertificate;
  /** Reuse a key pair (tests save key generation); absent: a fresh pair of `keyType`. */
  readonly keys?: CryptoKeyPair;
  readonly keyType?: KeyType;
  /** Make a CA (basicConstraints cA, keyCertSign); pathLength 0 = may sign leaves only (RFC 5280 4.2.1.9). */
  readonly ca?: { readonly pathLength?: number };
  /** Extended key usages of a leaf; [] or absent: none (a leaf no TLS peer should accept). */
  readonly usages?: readonly TlsUsage[];
  /** subjectAltName entries: IP addresses become iPAddress, anything else dNSName (RFC 6125 6.4). */
  readonly hosts?: readonly string[];
  /** Default: five minutes ago, so a peer whose clock is slightly behind accepts a fresh certificate. */
  readonly notBefore?: Date;
  /** Default: notBefore + validityDays. */
  readonly notAfter?: Date;
  /** Default 365. */
  readonly validityDays?: number;
}

export const DEMO_ORGANIZATION = 'mhd-xca-facade demo PKI (not for production)';
const DAY_MS = 86_400_000;
const CLOCK_SKEW_MS = 5 * 60_000;

function subjectName(commonName: string, organization: string): x509.JsonName {
  return [{ CN: [commonName] }, { O: [organization] }];
}

function keyUsages(opts: IssueCertificateOptions, keys: CryptoKeyPair): x509.KeyUsagesExtension {
  const { keyCertSign, cRLSign, digitalSignature, keyEncipherment } = x509.KeyUsageFlags;
  if (opts.ca) return new x509.KeyUsagesExtension(keyCertSign | cRLSign | digitalSignature, true);
  // keyEncipherment only means something for RSA (TLS 1.2 RSA key transport).
  const rsa = keys.publicKey.algorithm.name.startsWith('RSA');
  return new x509.KeyUsagesExtension(rsa ? digitalSignature | keyEncipherment : digitalSignature, true);
}

async function extensions(opts: IssueCertificateOptions, keys: CryptoKeyPair): Promise<x509.Extension[]> {
  const list: x509.Extension[] = [
    new x509.BasicConstraintsExtension(opts.ca !== undefined, opts.ca?.pathLength, true),
    keyUsages(opts, keys),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create((opts.issuer?.keys ?? keys).publicKey),
  ];
  if (opts.usages && opts.usages.length > 0) {
    list.push(new x509.ExtendedKeyUsageExtension(opts.usages.map((u) => x509.ExtendedKeyUsage[u])));
  }
  if (opts.hosts && opts.hosts.length > 0) {
    const names = opts.hosts.map((h) => ({ type: isIP(h) ? ('ip' as const) : ('dns' as const), value: h }));
    list.push(new x509.SubjectAlternativeNameExtension(names));
  }
  return list;
}

/** Issue a certificate as the options say; RSA keys sign with sha256WithRSAEncryption, EC keys ecdsa-with-SHA256. */
export async function issueCertificate(opts: IssueCertificateOptions): Promise<IssuedCertificate> {
  const keys = opts.keys ?? (await generateKeyPair(opts.keyType));
  const notBefore = opts.notBefore ?? new Date(Date.now() - CLOCK_SKEW_MS);
  const notAfter = opts.notAfter ?? new Date(notBefore.getTime() + (opts.validityDays ?? 365) * DAY_MS);
  const subject = subjectName(opts.commonName, opts.organization ?? DEMO_ORGANIZATION);
  const signer = opts.issuer?.keys ?? keys;
  const certificate = await x509.X509CertificateGenerator.create({
    subject,
    issuer: opts.issuer ? opts.issuer.certificate.subjectName : subject,
    publicKey: keys.publicKey,
    signingKey: signer.privateKey,
    signingAlgorithm: signingAlgorithm(signer.privateKey),
    notBefore,
    notAfter,
    extensions: await extensions(opts, keys),
  });
  // A final newline, so that PEM texts can be concatenated into a chain as they are.
  return { certificate, keys, certPem: `${certificate.toString('pem')}\n`, keyPem: await privateKeyToPem(keys.privateKey) };
}

/** An IssuedCertificate read back from its PEM files (e.g. the demo intermediate, to issue a new leaf). */
export async function loadIssued(certPem: string, keyPem: string): Promise<IssuedCertificate> {
  return { certificate: new x509.X509Certificate(certPem), keys: await keyPairFromPem(keyPem), certPem, keyPem };
}

export interface IssueCrlOptions {
  /** Certificates the list revokes (issued by `issuer`). */
  readonly revoked?: readonly IssuedCertificate[];
  readonly thisUpdate?: Date;
  /** Default: a day after thisUpdate. */
  readonly nextUpdate?: Date;
}

/** A certificate revocation list signed by the CA `issuer`, as PEM ending with a newline. */
export async function issueCrl(issuer: IssuedCertificate, opts: IssueCrlOptions = {}): Promise<string> {
  const thisUpdate = opts.thisUpdate ?? new Date(Date.now() - CLOCK_SKEW_MS);
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuer.certificate.subjectName,
    thisUpdate,
    nextUpdate: opts.nextUpdate ?? new Date(thisUpdate.getTime() + DAY_MS),
    entries: (opts.revoked ?? []).map((c) => ({ serialNumber: c.certificate.serialNumber, revocationDate: thisUpdate })),
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: signingAlgorithm(issuer.keys.privateKey),
  });
  // RFC 7468 section 9 labels a CRL "X509 CRL" (what OpenSSL reads); the library's own PEM says "CRL".
  return `${x509.PemConverter.encode(crl.rawData, 'X509 CRL')}\n`;
}
