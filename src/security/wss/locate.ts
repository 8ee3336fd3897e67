import { NS } from '../../xca/soap/constants';
import { XUA_NS } from '../xua/constants';
import { allElements, attrValue, childNamed, childrenNamed, descendantsNamed, textOf } from '../xua/xml-query';
import type { XmlElement } from '../xua/xml-tree';
import { WSS_NS } from './constants';
import { reject } from './result';

/**
 * Finds the one signed assertion of a WS-Security header and refuses every shape that XML signature wrapping
 * (XSW) attacks rely on, before any cryptography runs: the message must hold exactly ONE saml2:Assertion, as a
 * direct child of the one wsse:Security header (WSS SAML Token Profile 1.1); its ID must be carried by
 * no other element; it must hold exactly one ds:Signature as a direct child (SAML Core 5.4.1: enveloped), whose
 * SignedInfo has exactly one Reference, and that Reference must point at the assertion's own ID (Core 5.4.2).
 */
export interface LocatedAssertion {
  readonly security: XmlElement;
  readonly timestamp: XmlElement | undefined;
  readonly assertion: XmlElement;
  readonly id: string;
  readonly signature: XmlElement;
  readonly signedInfo: XmlElement;
  readonly reference: XmlElement;
  /** KeyInfo/X509Data/X509Certificate values (base64 DER, whitespace removed), signing certificate first. */
  readonly certificates: readonly string[];
}

const ID_ATTRIBUTES = new Set(['ID', 'Id', 'id']);

function securityHeader(root: XmlElement): XmlElement {
  if (root.local !== 'Envelope' || (root.uri !== NS.soap12 && root.uri !== NS.soap11)) reject('malformed', 'the message is not a SOAP envelope');
  const header = childNamed(root, root.uri, 'Header');
  const headers = header ? childrenNamed(header, WSS_NS.wsse, 'Security') : [];
  if (headers.length === 0) reject('no-security-header', 'the SOAP header has no wsse:Security (WS-Security 1.0) block');
  if (headers.length > 1) reject('malformed', 'the SOAP header has more than one wsse:Security block');
  return headers[0] as XmlElement;
}

function theAssertion(root: XmlElement, security: XmlElement): XmlElement {
  const assertions = descendantsNamed(root, XUA_NS.saml2, 'Assertion');
  if (assertions.length === 0) reject('no-assertion', 'wsse:Security carries no SAML 2.0 assertion');
  if (assertions.length > 1) reject('wrapping', `the message holds ${assertions.length} SAML assertions; exactly one is allowed (signature-wrapping guard)`);
  const assertion = assertions[0] as XmlElement;
  if (assertion.parent !== security) reject('wrapping', 'the SAML assertion is not a direct child of wsse:Security (signature-wrapping guard)');
  return assertion;
}

function uniqueId(root: XmlElement, assertion: XmlElement): string {
  const id = attrValue(assertion, 'ID');
  if (id === undefined || id === '') reject('bad-reference', 'the SAML assertion has no ID attribute to sign');
  const carriers = allElements(root).filter((e) => e.attributes.some((a) => ID_ATTRIBUTES.has(a.local) && a.value === id));
  if (carriers.length !== 1) reject('wrapping', `${carriers.length} elements carry the assertion's ID; exactly one is allowed (signature-wrapping guard)`);
  return id;
}

function theSignature(assertion: XmlElement, id: string): Pick<LocatedAssertion, 'signature' | 'signedInfo' | 'reference'> {
  const signatures = childrenNamed(assertion, XUA_NS.ds, 'Signature');
  if (signatures.length === 0) reject('no-signature', 'the SAML assertion is not signed (no ds:Signature)');
  if (signatures.length > 1) reject('wrapping', 'the SAML assertion holds more than one ds:Signature');
  const signature = signatures[0] as XmlElement;
  const signedInfos = childrenNamed(signature, XUA_NS.ds, 'SignedInfo');
  if (signedInfos.length !== 1) reject('bad-reference', 'ds:Signature must hold exactly one SignedInfo');
  const signedInfo = signedInfos[0] as XmlElement;
  const references = childrenNamed(signedInfo, XUA_NS.ds, 'Reference');
  if (references.length !== 1) reject('bad-reference', `the signature has ${references.length} References; exactly one, to the assertion, is allowed`);
  const reference = references[0] as XmlElement;
  if (attrValue(reference, 'URI') !== `#${id}`) reject('bad-reference', "the signature's Reference does not point at the assertion's ID");
  return { signature, signedInfo, reference };
}

function certificates(signature: XmlElement): string[] {
  const keyInfo = childNamed(signature, XUA_NS.ds, 'KeyInfo');
  if (!keyInfo) return [];
  return childrenNamed(keyInfo, XUA_NS.ds, 'X509Data')
    .flatMap((data) => childrenNamed(data, XUA_NS.ds, 'X509Certificate'))
    .map((cert) => (textOf(cert) ?? '').replace(/\s+/g, ''))
    .filter((b64) => b64 !== '');
}

/** Locate and structurally check the signed assertion of a parsed SOAP envelope. Throws WssRejection. */
export function locateSignedAssertion(root: XmlElement): LocatedAssertion {
  const security = securityHeader(root);
  const assertion = theAssertion(root, security);
  const id = uniqueId(root, assertion);
  const located = theSignature(assertion, id);
  return { security, timestamp: childNamed(security, WSS_NS.wsu, 'Timestamp'), assertion, id, ...located, certificates: certificates(located.signature) };
}
