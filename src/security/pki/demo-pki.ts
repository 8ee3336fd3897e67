import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import path from 'node:path';
import { inspectCertificates, type CertificateCheckInput } from './certificate-check';
import { issueCertificate, loadIssued, type IssuedCertificate, type TlsUsage } from './issue';
import { joinPem, splitCertificates } from './pem';
import { CERT_MODE, KEY_MODE, readIfExists, withDirLock, writeAtomic } from './pki-files';

/**
 * The demo PKI the sandbox serves HTTPS with: the shape the NIR asks of a supplier (a leaf issued from the
 * supplier's own intermediate, sent as leaf + intermediate), made locally so mutual TLS runs end to end with no
 * real certificate. Root CA (self-signed) > intermediate CA (pathLen 0) > facade leaf (clientAuth + serverAuth)
 * and one serverAuth leaf per sandbox gateway. All RSA 2048: the facade key also signs SAML (RSA-SHA256), and
 * RSA is what every gateway stack accepts. The root's private key is not kept: when the root or the intermediate
 * needs renewing, the whole PKI is made again.
 */

export { issueCertificate, loadIssued, type IssueCertificateOptions, type IssuedCertificate, type TlsUsage } from './issue';

export interface DemoPkiOptions {
  /** Names of the sandbox gateways, one server leaf each (letters, digits, '.', '_', '-'). */
  readonly gateways: readonly string[];
  /** subjectAltName of every leaf; default ['127.0.0.1', 'localhost', '::1']. */
  readonly hosts?: readonly string[];
}

/** Paths of one leaf's files. */
export interface DemoPkiFiles {
  readonly key: string;
  readonly cert: string;
  /** Leaf then intermediate: what a TLS peer sends. */
  readonly chain: string;
}

export interface DemoPki {
  readonly dir: string;
  /** The trust anchor both sides configure. */
  readonly rootCaCert: string;
  readonly intermediateCaCert: string;
  readonly facade: DemoPkiFiles;
  readonly gateways: Readonly<Record<string, DemoPkiFiles>>;
  /** Names (re)issued by this call; empty when every file was reused. */
  readonly issued: readonly string[];
}

const ROOT = 'root-ca';
const INTERMEDIATE = 'intermediate-ca';
const FACADE = 'facade';
const DEFAULT_HOSTS = ['127.0.0.1', 'localhost', '::1'];
const VALIDITY_DAYS = { root: 3650, intermediate: 1825, leaf: 365 } as const;
/** Anything that would expire within this many days is issued again, so a running demo never meets an expiry. */
const RENEW_WITHIN_DAYS = 30;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

interface LeafSpec { readonly name: string; readonly commonName: string; readonly usages: readonly TlsUsage[] }

const filesOf = (dir: string, name: string): DemoPkiFiles => ({
  key: path.join(dir, `${name}.key.pem`), cert: path.join(dir, `${name}.cert.pem`), chain: path.join(dir, `${name}.chain.pem`),
});

function leafSpecs(gateways: readonly string[]): LeafSpec[] {
  const reserved = new Set([ROOT, INTERMEDIATE, FACADE]);
  for (const name of gateways) {
    if (!NAME_PATTERN.test(name) || reserved.has(name)) throw new Error(`invalid sandbox gateway name for the demo PKI: "${name}"`);
  }
  if (new Set(gateways).size !== gateways.length) throw new Error('sandbox gateway names for the demo PKI must be unique');
  return [
    { name: FACADE, commonName: 'mhd-xca-facade', usages: ['clientAuth', 'serverAuth'] },
    ...gateways.map((name) => ({ name, commonName: name, usages: ['serverAuth'] as const })),
  ];
}

/** Usable now and still usable in RENEW_WITHIN_DAYS days. */
function usableNowAndLater(input: CertificateCheckInput): boolean {
  const later = new Date(Date.now() + RENEW_WITHIN_DAYS * 86_400_000);
  return inspectCertificates(input).usable && inspectCertificates({ ...input, now: later }).usable;
}

/** The existing root + intermediate, when both are present, consistent and far from expiry. */
async function reusableCa(dir: string): Promise<{ root: string; intermediate: IssuedCertificate } | undefined> {
  const root = await readIfExists(path.join(dir, `${ROOT}.cert.pem`));
  const cert = await readIfExists(path.join(dir, `${INTERMEDIATE}.cert.pem`));
  const key = await readIfExists(path.join(dir, `${INTERMEDIATE}.key.pem`));
  if (root === undefined || cert === undefined || key === undefined) return undefined;
  const usable = usableNowAndLater({ certChainPem: cert, keyPem: key, trustPem: root, role: 'demo intermediate CA' });
  return usable ? { root, intermediate: await loadIssued(cert, key) } : undefined;
}

async function createCa(dir: string): Promise<{ root: string; intermediate: IssuedCertificate }> {
  const root = await issueCertificate({ commonName: 'mhd-xca-facade demo root CA', ca: {}, validityDays: VALIDITY_DAYS.root });
  const intermediate = await issueCertificate({
    commonName: 'mhd-xca-facade demo intermediate CA', issuer: root, ca: { pathLength: 0 }, validityDays: VALIDITY_DAYS.intermediate,
  });
  await writeAtomic(path.join(dir, `${INTERMEDIATE}.key.pem`), intermediate.keyPem, KEY_MODE);
  await writeAtomic(path.join(dir, `${INTERMEDIATE}.cert.pem`), intermediate.certPem, CERT_MODE);
  await writeAtomic(path.join(dir, `${ROOT}.cert.pem`), root.certPem, CERT_MODE);
  return { root: root.certPem, intermediate };
}

function coversHosts(certPem: string, hosts: readonly string[]): boolean {
  const cert = new X509Certificate(certPem);
  return hosts.every((h) => (isIP(h) ? cert.checkIP(h) : cert.checkHost(h, { wildcards: false })) !== undefined);
}

async function leafReusable(files: DemoPkiFiles, spec: LeafSpec, root: string, hosts: readonly string[]): Promise<boolean> {
  const [key, cert, chain] = await Promise.all([files.key, files.cert, files.chain].map(readIfExists));
  if (key === undefined || cert === undefined || chain === undefined) return false;
  if (splitCertificates(cert)[0] !== splitCertificates(chain)[0]) return false;
  return usableNowAndLater({ certChainPem: chain, keyPem: key, trustPem: root, role: spec.name, requiredUsages: spec.usages })
    && coversHosts(cert, hosts);
}

async function issueLeaf(files: DemoPkiFiles, spec: LeafSpec, intermediate: IssuedCertificate, hosts: readonly string[]): Promise<void> {
  const leaf = await issueCertificate({
    commonName: spec.commonName, issuer: intermediate, usages: spec.usages, hosts, validityDays: VALIDITY_DAYS.leaf,
  });
  await writeAtomic(files.key, leaf.keyPem, KEY_MODE);
  await writeAtomic(files.cert, leaf.certPem, CERT_MODE);
  await writeAtomic(files.chain, joinPem(leaf.certPem, intermediate.certPem), CERT_MODE);
}

/**
 * Make sure `dir` holds a usable demo PKI for these gateways and hosts: files that exist, are consistent and are
 * valid for more than 30 days are reused byte for byte; anything else is issued again (all leaves when the CA is).
 * Without options only the facade leaf is made. Safe to call from several processes at once (a directory lock).
 */
export async function ensureDemoPki(dir: string, opts: DemoPkiOptions = { gateways: [] }): Promise<DemoPki> {
  const specs = leafSpecs(opts.gateways);
  const hosts = opts.hosts ?? DEFAULT_HOSTS;
  const absolute = path.resolve(dir);
  const issued = await withDirLock(absolute, async () => {
    const existing = await reusableCa(absolute);
    const ca = existing ?? (await createCa(absolute));
    const names: string[] = existing ? [] : [ROOT, INTERMEDIATE];
    for (const spec of specs) {
      const files = filesOf(absolute, spec.name);
      if (existing && (await leafReusable(files, spec, ca.root, hosts))) continue;
      await issueLeaf(files, spec, ca.intermediate, hosts);
      names.push(spec.name);
    }
    return names;
  });
  const gateways = Object.fromEntries(opts.gateways.map((g) => [g, filesOf(absolute, g)]));
  return {
    dir: absolute, rootCaCert: path.join(absolute, `${ROOT}.cert.pem`), intermediateCaCert: path.join(absolute, `${INTERMEDIATE}.cert.pem`),
    facade: filesOf(absolute, FACADE), gateways, issued,
  };
}
