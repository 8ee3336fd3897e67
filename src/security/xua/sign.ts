import { X509Certificate, createPrivateKey, randomUUID } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { xuaAttributes } from './attributes';
import { renderUnsignedAssertion } from './assertion';
import { DSIG_ALGORITHMS, XUA_NS, XUA_PREFIX, X509_SUBJECT_NAME_FORMAT } from './constants';
import { XuaError } from './errors';
import type { XuaAssertionOptions, XuaSigner, XuaSubject } from './types';

/**
 * Signs the XUA assertion with xml-crypto as SAML 2.0 Core 5.4 asks: one enveloped signature whose single
 * Reference points at the Assertion's ID, RSA-SHA256 over exclusive-c14n SignedInfo, SHA-256 digest after the
 * enveloped-signature and exclusive-c14n transforms, ds:Signature placed right after saml2:Issuer (Core 2.3.3
 * order) and the signing certificate in KeyInfo/X509Data/X509Certificate. Exclusive c14n plus every prefix being
 * declared on the Assertion itself is what lets the assertion move into any SOAP header unharmed.
 */

const ASSERTION_XPATH = `/*[local-name(.)='Assertion' and namespace-uri(.)='${XUA_NS.saml2}']`;
const ISSUER_XPATH = `/*/*[local-name(.)='Issuer' and namespace-uri(.)='${XUA_NS.saml2}']`;

/** RFC 4514-style subject DN of the signing certificate (node lists the RDNs root first; RFC 4514 reverses). */
function certificateSubject(certPem: string): string {
  try {
    return new X509Certificate(certPem).subject.split('\n').reverse().join(',');
  } catch (err) {
    throw new XuaError('signer.certPem', 'the XUA signing certificate is not a readable PEM certificate', { cause: err });
  }
}

function checkKey(keyPem: string): void {
  try {
    if (createPrivateKey(keyPem).asymmetricKeyType !== 'rsa') throw new Error('not an RSA key');
  } catch (err) {
    throw new XuaError('signer.keyPem', 'the XUA signing key is not a readable RSA private key (PEM)', { cause: err });
  }
}

/** Sign a serialised assertion (its root carries the ID attribute). */
export function signAssertion(unsignedXml: string, signer: XuaSigner): string {
  checkKey(signer.keyPem);
  const sig = new SignedXml({
    privateKey: signer.keyPem,
    publicCert: signer.certPem,
    signatureAlgorithm: DSIG_ALGORITHMS.rsaSha256,
    canonicalizationAlgorithm: DSIG_ALGORITHMS.excC14n,
  });
  sig.addReference({
    xpath: ASSERTION_XPATH,
    transforms: [DSIG_ALGORITHMS.enveloped, DSIG_ALGORITHMS.excC14n],
    digestAlgorithm: DSIG_ALGORITHMS.sha256,
  });
  sig.computeSignature(unsignedXml, { prefix: XUA_PREFIX.ds, location: { reference: ISSUER_XPATH, action: 'after' } });
  return sig.getSignedXml();
}

/**
 * A signed IHE XUA SAML 2.0 assertion for `subject` (ITI TF-2 3.40.4.1.2), as a string ready to go into a
 * wsse:Security header. The issuer defaults to the signing certificate's subject; the lifetime to the table's
 * assertionValiditySeconds.
 */
export function buildSignedAssertion(subject: XuaSubject, signer: XuaSigner, opts: XuaAssertionOptions = {}): string {
  const issuer = opts.issuer === undefined ? { value: certificateSubject(signer.certPem), format: X509_SUBJECT_NAME_FORMAT } : { value: opts.issuer };
  const unsigned = renderUnsignedAssertion({
    // SAML IDs are xs:ID (an NCName): a UUID may start with a digit, so it is prefixed.
    id: `_${randomUUID()}`,
    subject,
    issuer,
    now: opts.now ?? new Date(),
    validitySeconds: opts.validitySeconds ?? xuaAttributes().defaults.assertionValiditySeconds,
    ...(opts.audience === undefined ? {} : { audience: opts.audience }),
  });
  return signAssertion(unsigned, signer);
}
