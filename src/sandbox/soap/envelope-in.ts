import { parseXml, XmlSyntaxError } from '../xml/parse';
import { attr, childrenNamed, qname, type XmlElement } from '../xml/tree';
import { NS, SOAP_ROLES_HANDLED, WSA_ANONYMOUS } from './constants';
import { readSoapContentType } from './content-type';
import { SoapFault, type QName } from './fault';

/**
 * Reads a SOAP 1.2 request the way a strict responding gateway does: Content-Type (RFC 3902), envelope
 * (SOAP 1.2 Part 1, 5), mustUnderstand header processing (5.2.3), and the WS-Addressing headers IHE requires on
 * every request (ITI TF-2 Appendix V.3.2: Action, MessageID, To; ReplyTo, when present, must be anonymous).
 * Every failure is a SoapFault.
 */
export interface SoapRequest {
  readonly action: string;
  readonly messageId: string;
  readonly to: string;
  /** The single child element of env:Body. */
  readonly body: XmlElement;
  /** The envelope exactly as received: the WS-Security check verifies its signature over these bytes. */
  readonly envelope: Buffer | string;
}

/**
 * Header blocks this node processes: WS-Addressing, and WS-Security (a secured gateway verifies it, security/;
 * an open one accepts it unchecked).
 */
const UNDERSTOOD_HEADER_NAMESPACES = new Set<string>([NS.wsa, NS.wsse]);

function parseEnvelope(xml: Buffer | string): XmlElement {
  try {
    return parseXml(xml);
  } catch (err) {
    if (err instanceof XmlSyntaxError) throw SoapFault.sender(`request is not acceptable XML: ${err.message}`);
    throw err;
  }
}

function envelopeParts(envelope: XmlElement): { header: XmlElement | undefined; body: XmlElement } {
  if (envelope.local !== 'Envelope' || envelope.ns !== NS.soap12) {
    const was = qname(envelope.ns, envelope.local);
    throw new SoapFault('VersionMismatch', `expected a SOAP 1.2 env:Envelope ({${NS.soap12}}Envelope), found ${was}`);
  }
  const names = envelope.children.map((c) => (c.ns === NS.soap12 ? c.local : qname(c.ns, c.local)));
  const shape = names.join(',');
  if (shape !== 'Header,Body' && shape !== 'Body') throw SoapFault.sender(`env:Envelope must hold an optional env:Header then env:Body; found [${shape}]`);
  const body = envelope.children[envelope.children.length - 1] as XmlElement;
  if (body.children.length !== 1) throw SoapFault.sender(`env:Body must hold exactly one element; found ${body.children.length}`);
  return { header: shape === 'Header,Body' ? envelope.children[0] : undefined, body };
}

function mustUnderstand(block: XmlElement): boolean {
  const value = attr(block, 'mustUnderstand', NS.soap12);
  if (value === undefined) return false;
  if (!['true', 'false', '1', '0'].includes(value.trim())) throw SoapFault.sender(`env:mustUnderstand must be an xs:boolean, found "${value}"`);
  return value.trim() === 'true' || value.trim() === '1';
}

/** SOAP 1.2 Part 1 5.2.3 / 5.4.8: a mandatory header block addressed to us that we do not process is a fault. */
function checkMustUnderstand(header: XmlElement): void {
  const missed: QName[] = [];
  for (const block of header.children) {
    const role = attr(block, 'role', NS.soap12);
    if (role !== undefined && !SOAP_ROLES_HANDLED.has(role.trim())) continue;
    if (mustUnderstand(block) && !UNDERSTOOD_HEADER_NAMESPACES.has(block.ns)) missed.push({ ns: block.ns, local: block.local });
  }
  if (missed.length > 0) {
    const list = missed.map((q) => qname(q.ns, q.local)).join(', ');
    throw new SoapFault('MustUnderstand', `header block(s) not understood: ${list}`, { notUnderstood: missed });
  }
}

function singleHeader(header: XmlElement | undefined, local: string, required: boolean): string | undefined {
  const found = header === undefined ? [] : childrenNamed(header, NS.wsa, local);
  if (found.length > 1) throw SoapFault.wsa('InvalidAddressingHeader', `wsa:${local} occurs ${found.length} times`);
  const value = found[0]?.text.trim();
  if (value === undefined || value === '') {
    if (required) throw SoapFault.wsa('MessageAddressingHeaderRequired', `required header wsa:${local} is missing or empty`);
    return undefined;
  }
  return value;
}

function checkReplyTo(header: XmlElement | undefined): void {
  const replyTo = header === undefined ? [] : childrenNamed(header, NS.wsa, 'ReplyTo');
  if (replyTo.length > 1) throw SoapFault.wsa('InvalidAddressingHeader', 'wsa:ReplyTo occurs more than once');
  const reply = replyTo[0];
  if (reply === undefined) return;
  const address = childrenNamed(reply, NS.wsa, 'Address')[0]?.text.trim();
  if (address !== WSA_ANONYMOUS) throw SoapFault.wsa('OnlyAnonymousAddressSupported', 'wsa:ReplyTo must be the anonymous address: this gateway answers synchronously');
}

/**
 * Check a SOAP 1.2 envelope (already out of its HTTP or MTOM packaging) for `expectedAction`. `declaredAction` is the
 * action the packaging named (the Content-Type action parameter), when it named one: it must equal wsa:Action.
 * Throws SoapFault; once the MessageID is known the fault carries it as relatesTo.
 */
export function readSoapEnvelope(xml: Buffer | string, expectedAction: string, declaredAction: string | undefined): SoapRequest {
  const { header, body } = envelopeParts(parseEnvelope(xml));
  const messageId = header === undefined ? undefined : childrenNamed(header, NS.wsa, 'MessageID')[0]?.text.trim();
  try {
    if (header !== undefined) checkMustUnderstand(header);
    const action = singleHeader(header, 'Action', true) as string;
    singleHeader(header, 'MessageID', true);
    const to = singleHeader(header, 'To', true) as string;
    checkReplyTo(header);
    if (declaredAction !== undefined && action !== declaredAction) throw SoapFault.wsa('InvalidAddressingHeader', `Content-Type action "${declaredAction}" differs from wsa:Action "${action}"`);
    if (action !== expectedAction) throw SoapFault.wsa('ActionNotSupported', `action "${action}" is not supported at this endpoint; expected ${expectedAction}`);
    return { action, messageId: messageId as string, to, body: body.children[0] as XmlElement, envelope: xml };
  } catch (err) {
    if (err instanceof SoapFault && messageId !== undefined && messageId !== '') err.relatesTo = messageId;
    throw err;
  }
}

/**
 * Read and check one plain SOAP 1.2 request (application/soap+xml, action parameter required) for `expectedAction`.
 * Throws SoapFault; once the MessageID is known the fault carries it as relatesTo.
 */
export function readSoapRequest(contentTypeHeader: string | undefined, bytes: Buffer, expectedAction: string): SoapRequest {
  const contentType = readSoapContentType(contentTypeHeader);
  return readSoapEnvelope(bytes, expectedAction, contentType.action);
}
