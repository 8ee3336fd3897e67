import { randomUUID } from 'node:crypto';
import { el, renderXml, type XmlChild } from '../xml/writer';
import { NS, WSA } from './constants';

/**
 * SOAP 1.2 envelope with the WS-Addressing 1.0 headers IHE requires of every synchronous web-services transaction
 * (ITI TF-2 Appendix V.3: wsa:Action with mustUnderstand="1", wsa:MessageID, wsa:ReplyTo anonymous, wsa:To).
 */
export interface SoapEnvelopeInput {
  /** wsa:Action, e.g. urn:ihe:iti:2007:CrossGatewayQuery. Also goes into the Content-Type action parameter. */
  readonly action: string;
  /** wsa:To: the endpoint address the message is sent to. */
  readonly to: string;
  /** wsa:MessageID; a bare UUID is written as `urn:uuid:<uuid>`. */
  readonly messageId: string;
  /** The serialised Body content (one element). */
  readonly body: string;
  /** A serialised wsse:Security header (or any header block), inserted verbatim into soap:Header. */
  readonly securityHeader?: string;
}

const BARE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A fresh wsa:MessageID (`urn:uuid:` form, ITI TF-2 Appendix V.3.1). */
export function newMessageId(): string {
  return `urn:uuid:${randomUUID()}`;
}

function normaliseMessageId(messageId: string): string {
  return BARE_UUID.test(messageId) ? `urn:uuid:${messageId}` : messageId;
}

/** Build the whole SOAP 1.2 message, XML declaration included. */
export function buildSoapEnvelope(input: SoapEnvelopeInput): string {
  const headers: XmlChild[] = [
    el('wsa:Action', [['soap:mustUnderstand', '1']], input.action),
    el('wsa:MessageID', [], normaliseMessageId(input.messageId)),
    el('wsa:ReplyTo', [], [el('wsa:Address', [], WSA.anonymous)]),
    el('wsa:To', [], input.to),
  ];
  if (input.securityHeader !== undefined) headers.push({ raw: input.securityHeader });
  const envelope = el(
    'soap:Envelope',
    [
      ['xmlns:soap', NS.soap12],
      ['xmlns:wsa', NS.wsa],
    ],
    [el('soap:Header', [], headers), el('soap:Body', [], [{ raw: input.body }])],
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${renderXml(envelope)}\n`;
}

/**
 * The SOAP 1.2 HTTP binding media type; the action travels as a media-type parameter (RFC 3902, SOAP 1.2 Part 2
 * section 7.1.4), which some responders route on instead of wsa:Action.
 */
export function soapContentType(action: string): string {
  return `application/soap+xml; charset=UTF-8; action="${action.replace(/["\\]/g, '')}"`;
}
