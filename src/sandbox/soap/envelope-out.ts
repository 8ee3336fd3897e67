import { randomUUID } from 'node:crypto';
import { el, serializeDocument, type XmlNode } from '../xml/write';
import { NS } from './constants';
import type { QName, SoapFault } from './fault';

/**
 * Writes the SOAP 1.2 envelopes the sandbox answers with: a response (WS-Addressing Action, MessageID and
 * RelatesTo, as ITI TF-2 Appendix V.3.2 requires of a synchronous response) or a fault. Prefixes are fixed and
 * declared once on the Envelope: env, wsa, query, rim, rs.
 */
const ROOT_NAMESPACES = {
  'xmlns:env': NS.soap12,
  'xmlns:wsa': NS.wsa,
  'xmlns:query': NS.query,
  'xmlns:rim': NS.rim,
  'xmlns:rs': NS.rs,
};

/** The answer the HTTP layer writes. */
export interface SoapResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

function contentType(action: string): string {
  return `application/soap+xml; charset=UTF-8; action="${action}"`;
}

function addressingHeaders(action: string, relatesTo: string | undefined): XmlNode[] {
  return [
    el('wsa:Action', { 'env:mustUnderstand': 'true' }, undefined, action),
    el('wsa:MessageID', undefined, undefined, `urn:uuid:${randomUUID()}`),
    ...(relatesTo !== undefined ? [el('wsa:RelatesTo', undefined, undefined, relatesTo)] : []),
  ];
}

/** The serialised SOAP 1.2 envelope of a successful response whose Body holds `payload` (also an MTOM root part). */
export function soapEnvelope(action: string, relatesTo: string | undefined, payload: XmlNode): string {
  const envelope = el('env:Envelope', ROOT_NAMESPACES, [el('env:Header', undefined, addressingHeaders(action, relatesTo)), el('env:Body', undefined, [payload])]);
  return serializeDocument(envelope);
}

/** A successful SOAP response whose Body holds `payload`. */
export function soapResponse(action: string, relatesTo: string | undefined, payload: XmlNode): SoapResponse {
  return { status: 200, contentType: contentType(action), body: soapEnvelope(action, relatesTo, payload) };
}

/** Prefixes for namespaces not declared on the Envelope that a fault may name (WS-Security 1.0 section 12 subcodes). */
const KNOWN_PREFIXES: ReadonlyMap<string, string> = new Map([[NS.wsse, 'wsse']]);

function qnameValue(q: QName, fallbackPrefix: string): { text: string; attrs: Record<string, string> } {
  if (q.ns === NS.soap12) return { text: `env:${q.local}`, attrs: {} };
  if (q.ns === NS.wsa) return { text: `wsa:${q.local}`, attrs: {} };
  const prefix = KNOWN_PREFIXES.get(q.ns) ?? fallbackPrefix;
  return { text: `${prefix}:${q.local}`, attrs: { [`xmlns:${prefix}`]: q.ns } };
}

/** SOAP 1.2 Part 1 5.4.8: one env:NotUnderstood header block per header the node could not process. */
function notUnderstoodBlocks(fault: SoapFault): XmlNode[] {
  return fault.notUnderstood.map((q) => {
    const v = qnameValue(q, 'nu');
    return el('env:NotUnderstood', { qname: v.text, ...v.attrs });
  });
}

/** SOAP 1.2 Part 1 5.4.7: a VersionMismatch fault names the envelope versions this node supports. */
function upgradeBlock(fault: SoapFault): XmlNode[] {
  if (fault.code !== 'VersionMismatch') return [];
  return [el('env:Upgrade', undefined, [el('env:SupportedEnvelope', { qname: 'env:Envelope' })])];
}

function faultCode(fault: SoapFault): XmlNode {
  const children = [el('env:Value', undefined, undefined, `env:${fault.code}`)];
  if (fault.subcode !== undefined) {
    const v = qnameValue(fault.subcode, 'sc');
    children.push(el('env:Subcode', v.attrs, [el('env:Value', undefined, undefined, v.text)]));
  }
  return el('env:Code', undefined, children);
}

/** A SOAP 1.2 fault message, with the HTTP status SOAP 1.2 Part 2 7.5.2.2 prescribes. */
export function soapFaultResponse(fault: SoapFault): SoapResponse {
  const header = [...notUnderstoodBlocks(fault), ...upgradeBlock(fault), ...addressingHeaders(fault.action, fault.relatesTo)];
  const body = el('env:Fault', undefined, [
    faultCode(fault),
    el('env:Reason', undefined, [el('env:Text', { 'xml:lang': 'en' }, undefined, fault.message)]),
  ]);
  const envelope = el('env:Envelope', ROOT_NAMESPACES, [el('env:Header', undefined, header), el('env:Body', undefined, [body])]);
  return { status: fault.httpStatus, contentType: contentType(fault.action), body: serializeDocument(envelope) };
}
