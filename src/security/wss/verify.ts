import type { X509Certificate } from 'node:crypto';
import { xuaAttributes } from '../xua/attributes';
import { missingSubjectFields, readXuaAssertion } from '../xua/read';
import { parseXmlTree, XmlTreeError } from '../xua/xml-tree';
import type { XuaAssertionContent, XuaSubject } from '../xua/types';
import { locateSignedAssertion } from './locate';
import { reject, WssRejection, type WssVerifyResult } from './result';
import { checkAlgorithms, verifyAssertionSignature } from './signature-check';
import { checkConditions, checkTimestamp } from './time-window';
import { establishTrust, parseTrustAnchors } from './trust';

/** What the verifying side trusts and how it reads the clock. */
export interface WssTrustOptions {
  /** PEM certificates trusted as issuers of the signing certificate (CAs), or the signing certificate itself. */
  readonly trustedCertsPem: readonly string[];
  /** The instant to check against (tests pin it); defaults to the current time. */
  readonly now?: Date;
  /** Allowed clock difference with the sender; defaults to the table's clockSkewSeconds. */
  readonly clockSkewSeconds?: number;
  /** When set, the assertion must name this audience in an AudienceRestriction. */
  readonly audience?: string;
}

/**
 * Verify the WS-Security header of an incoming SOAP request (the sandbox responding gateways' side of ITI TF-2
 * 3.40.4.1: X-Service Provider): safe parse (no DTD), exactly one assertion in the right place, one Reference to
 * its ID, a trusted signer, allowed algorithms, a valid signature (xml-crypto), fresh Timestamp and Conditions,
 * and every XUA attribute present. The subject is read from the bytes the signature covers, so nothing outside
 * the signature (a wrapped copy, a sibling element) can change what is returned. Never throws for a bad message.
 */
export function verifySecurityHeader(envelopeXml: string, trust: WssTrustOptions): WssVerifyResult {
  let anchors: X509Certificate[];
  try {
    anchors = parseTrustAnchors(trust.trustedCertsPem);
  } catch (err) {
    // A broken trust list is our own configuration error, not the sender's: let it surface.
    throw new TypeError('verifySecurityHeader: trustedCertsPem holds an unreadable certificate', { cause: err });
  }
  try {
    return { ok: true, subject: verify(envelopeXml, anchors, trust) };
  } catch (err) {
    if (err instanceof WssRejection) return { ok: false, code: err.code, reason: err.message };
    if (err instanceof XmlTreeError) return { ok: false, code: 'malformed', reason: `the message is not acceptable XML: ${err.message}` };
    return { ok: false, code: 'malformed', reason: `the security header could not be processed: ${err instanceof Error ? err.message.slice(0, 200) : 'unknown error'}` };
  }
}

function verify(envelopeXml: string, anchors: readonly X509Certificate[], trust: WssTrustOptions): XuaSubject {
  const now = trust.now ?? new Date();
  const clock = { now: now.getTime(), skewMs: (trust.clockSkewSeconds ?? xuaAttributes().defaults.clockSkewSeconds) * 1000 };
  const located = locateSignedAssertion(parseXmlTree(envelopeXml));
  const certPem = establishTrust(located.certificates, anchors, clock);
  checkAlgorithms(located);
  const signedXml = verifyAssertionSignature(envelopeXml, located, certPem);
  const content = readXuaAssertion(signedXml);
  if (content.id !== located.id) reject('bad-reference', 'the signed content is not the located assertion');
  checkTimestamp(located.timestamp, clock);
  checkConditions(content, clock);
  if (trust.audience !== undefined && !content.audiences.includes(trust.audience)) reject('audience', 'the SAML assertion is not addressed to this audience');
  return completeSubject(content);
}

function completeSubject(content: XuaAssertionContent): XuaSubject {
  const missing = missingSubjectFields(content.subject);
  if (missing.length > 0) reject('missing-attribute', `the SAML assertion lacks XUA attribute(s): ${missing.join(', ')}`);
  return content.subject as XuaSubject;
}
