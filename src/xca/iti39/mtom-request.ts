import { randomUUID } from 'node:crypto';
import { ITI39_ACTION } from './constants';

/**
 * MTOM/XOP packaging of an outgoing SOAP 1.2 message (W3C SOAP MTOM section 3; XOP 1.0; RFC 2387). Retrieve
 * Document Set, and so ITI-39, is carried as MTOM/XOP in both directions (ITI TF-2 3.43 protocol requirements,
 * Appendix V; the IHE wiki's "request format shall be the response format"), even though the request holds no
 * binary data: responders that require MTOM (Axis2, WCF) refuse a plain SOAP request, and a responder answers
 * in the format it was asked in. The package is a single root part.
 */

/** The HTTP message of an MTOM-packaged SOAP request. */
export interface MtomRequest {
  /** multipart/related Content-Type with type, boundary, start, start-info and action. */
  readonly contentType: string;
  readonly body: Buffer;
}

/** Fixed values for reproducible output (golden files); random per message otherwise. */
export interface MtomRequestOptions {
  /** The SOAP action, repeated in the Content-Type (SOAP 1.2 Part 2 section 7.1.4). Default: ITI-39's. */
  readonly action?: string;
  readonly boundary?: string;
  /** Content-ID of the root part, without angle brackets. */
  readonly rootContentId?: string;
}

const CRLF = '\r\n';

/** A quoted-string parameter value (RFC 2045 section 5.1); our values never hold quotes, but make sure. */
function quoted(value: string): string {
  return `"${value.replace(/["\\\r\n]/g, '')}"`;
}

/**
 * Package `envelope` (a whole SOAP 1.2 message, XML declaration included) as an MTOM request. The boundary is
 * a UUID-based token: RFC 2046 section 5.1.1 wants it absent from the content, and a random 128-bit value cannot
 * collide with our own XML in practice; it is checked anyway.
 * @throws RangeError when a caller-chosen boundary occurs in the envelope.
 */
export function encodeMtomRequest(envelope: string, options: MtomRequestOptions = {}): MtomRequest {
  const id = randomUUID();
  const boundary = options.boundary ?? `MIMEBoundary_${id.replace(/-/g, '')}`;
  const rootId = options.rootContentId ?? `root.${id}@mhd-xca-facade`;
  const action = options.action ?? ITI39_ACTION.request;
  if (envelope.includes(`--${boundary}`)) throw new RangeError('The MTOM boundary occurs inside the SOAP envelope');
  const head =
    `--${boundary}${CRLF}` +
    `Content-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"${CRLF}` +
    `Content-Transfer-Encoding: binary${CRLF}` +
    `Content-ID: <${rootId}>${CRLF}${CRLF}`;
  const tail = `${CRLF}--${boundary}--${CRLF}`;
  const contentType = [
    'multipart/related',
    'type="application/xop+xml"',
    `boundary=${quoted(boundary)}`,
    `start=${quoted(`<${rootId}>`)}`,
    'start-info="application/soap+xml"',
    `action=${quoted(action)}`,
  ].join('; ');
  return { contentType, body: Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(envelope, 'utf8'), Buffer.from(tail, 'latin1')]) };
}
