import { createPublicKey } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { DSIG_ALGORITHMS, XUA_NS } from '../xua/constants';
import { attrValue, childNamed, childrenNamed, inScopeNamespaces } from '../xua/xml-query';
import type { XmlElement } from '../xua/xml-tree';
import { escapeAttribute } from '../../xca/xml/escape';
import type { LocatedAssertion } from './locate';
import { reject } from './result';

/**
 * The cryptographic check, done by xml-crypto, restricted to what we sign with (SAML Core 5.4.3 / 5.4.4): exclusive
 * c14n, RSA with SHA-256 or SHA-512, and no transform other than enveloped-signature and exclusive c14n (an XPath or
 * XSLT transform is how a Reference is made to cover something other than the assertion). The result is the
 * canonical XML the signature actually covers; the caller reads the subject from THAT, never from the document.
 */

const SIGNATURE_METHODS = new Set<string>([DSIG_ALGORITHMS.rsaSha256, DSIG_ALGORITHMS.rsaSha512]);
const DIGEST_METHODS = new Set<string>([DSIG_ALGORITHMS.sha256, DSIG_ALGORITHMS.sha512]);
const TRANSFORMS = new Set<string>([DSIG_ALGORITHMS.enveloped, DSIG_ALGORITHMS.excC14n]);

const algorithmOf = (parent: XmlElement, local: string): string | undefined => {
  const child = childNamed(parent, XUA_NS.ds, local);
  return child ? attrValue(child, 'Algorithm') : undefined;
};

/** Refuse algorithms and transforms outside the allow-list. Throws WssRejection('algorithm'). */
export function checkAlgorithms(located: LocatedAssertion): void {
  const { signedInfo, reference } = located;
  if (algorithmOf(signedInfo, 'CanonicalizationMethod') !== DSIG_ALGORITHMS.excC14n) reject('algorithm', 'SignedInfo must use exclusive XML canonicalisation');
  if (!SIGNATURE_METHODS.has(algorithmOf(signedInfo, 'SignatureMethod') ?? '')) reject('algorithm', 'the signature method must be RSA-SHA256 or RSA-SHA512');
  if (!DIGEST_METHODS.has(algorithmOf(reference, 'DigestMethod') ?? '')) reject('algorithm', 'the digest method must be SHA-256 or SHA-512');
  const transforms = childNamed(reference, XUA_NS.ds, 'Transforms');
  const algorithms = transforms ? childrenNamed(transforms, XUA_NS.ds, 'Transform').map((t) => attrValue(t, 'Algorithm') ?? '') : [];
  if (!algorithms.includes(DSIG_ALGORITHMS.enveloped) || algorithms.some((a) => !TRANSFORMS.has(a))) {
    reject('algorithm', 'the Reference transforms must be enveloped-signature and exclusive c14n only');
  }
}

/**
 * The ds:Signature element as a standalone string for xml-crypto's loadSignature: its exact source text, with the
 * namespace declarations it inherits from its ancestors added to its start tag (exclusive c14n of SignedInfo
 * only renders the ones it uses, so the addition changes nothing that is signed).
 */
function standaloneSignature(source: string, signature: XmlElement): string {
  const text = source.slice(signature.start, signature.end);
  const inherited = [...inScopeNamespaces(signature)].filter(([prefix]) => !signature.declarations.has(prefix));
  const decls = inherited.map(([prefix, uri]) => ` ${prefix === '' ? 'xmlns' : `xmlns:${prefix}`}="${escapeAttribute(uri)}"`).join('');
  const nameEnd = 1 + signature.name.length;
  return `${text.slice(0, nameEnd)}${decls}${text.slice(nameEnd)}`;
}

/**
 * Verify the assertion's signature with the (already trusted) signing certificate and return the canonical XML
 * of the one signed reference. Throws WssRejection('bad-signature' | 'bad-reference').
 */
export function verifyAssertionSignature(envelopeXml: string, located: LocatedAssertion, certPem: string): string {
  if (createPublicKey(certPem).asymmetricKeyType !== 'rsa') reject('algorithm', 'the signing certificate does not hold an RSA key');
  // getCertFromKeyInfo stays xml-crypto's default no-op: the key is the certificate we just checked, nothing else.
  const sig = new SignedXml({ publicCert: certPem });
  let valid: boolean;
  try {
    sig.loadSignature(standaloneSignature(envelopeXml, located.signature));
    valid = sig.checkSignature(envelopeXml);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/signature value/i.test(message)) reject('bad-signature', 'the SignatureValue does not verify with the signing certificate');
    return reject('bad-signature', `the signature could not be verified: ${message.slice(0, 200)}`);
  }
  if (!valid) reject('bad-signature', 'the digest of the signed assertion does not match: it was changed after signing');
  const signed = sig.getSignedReferences();
  if (signed.length !== 1 || signed[0] === undefined) return reject('bad-reference', 'the signature must cover exactly one reference');
  return signed[0];
}
