import { randomUUID } from 'node:crypto';
import { el, renderXml, type XmlChild } from '../xml/writer';
import { NS, WSA } from './constants';

/**
 * The per-message header values every outbound XCA request carries (ITI-38, ITI-39, RAD-75 alike): where it goes,
 * its id, and the caller's security block. wsa:Action is the transaction's and wsa:ReplyTo is always anonymous
 * (synchronous exchange), so neither is here: buildSoapEnvelope writes them.
 */
export interface SoapAddressing {
  /** wsa:To: the endpoint address the message is sent to. */
  readonly to: string;
  /** wsa:MessageID; a bare UUID is written as `urn:uuid:<uuid>`. */
  readonly messageId: string;
  /** A serialised wsse:Security header (signed XUA assertion, ITI TF-2 3.40), inserted verbatim into soap:Header. */
  readonly securityHeader?: string;
}

/**
 * SOAP 1.2 envelope with the WS-Addressing 1.0 headers IHE requires of every synchronous web-services transaction
 * (ITI TF-2 Appendix V.3: wsa:Action with mustUnderstand="1", wsa:MessageID, wsa:ReplyTo anonymous, wsa:To).
 */
export interface SoapEnvelopeInput {
  /** wsa:Action, e.g. urn:ihe:iti:2007:CrossGatewayQuery. Also goes into the Content-Type action parameter. */
  readonly action: string;
  /** wsa:To, wsa:MessageID and the security header of this message. */
  readonly addressing: SoapAddressing;
  /** The serialised Body content (one element). */
  readonly body: string;
}

const BARE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A fresh wsa:MessageID (`urn:uuid:` form, ITI TF-2 Appendix V.3.1). */
export function newMessageId(): string {
  return `urn:uuid:${randomUUID()}`;
}

/**
 * The addressing of a new outbound message to `to`: a fresh MessageID and, when the caller signs its requests, a
 * security header built for this message (a XUA assertion is never reused across messages).
 */
export function freshAddressing(to: string, securityHeader?: () => string): SoapAddressing {
  return securityHeader === undefined ? { to, messageId: newMessageId() } : { to, messageId: newMessageId(), securityHeader: securityHeader() };
}

function normaliseMessageId(messageId: string): string {
  return BARE_UUID.test(messageId) ? `urn:uuid:${messageId}` : messageId;
}

/** Build the whole SOAP 1.2 message, XML declaration included. */
export function buildSoapEnvelope(input: SoapEnvelopeInput): string {
  const { addressing } = input;
  const headers: XmlChild[] = [
    el('wsa:Action', [['soap:mustUnderstand', '1']], input.action),
    el('wsa:MessageID', [], normaliseMessageId(addressing.messageId)),
    el('wsa:ReplyTo', [], [el('wsa:Address', [], WSA.anonymous)]),
    el('wsa:To', [], addressing.to),
  ];
  if (addressing.securityHeader !== undefined) headers.push({ raw: addressing.securityHeader });
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
