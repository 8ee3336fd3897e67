import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';

/**
 * Writes a retrieve answer as an MTOM/XOP package (W3C SOAP MTOM 1.0, XOP 1.0, RFC 2387 multipart/related): the
 * SOAP 1.2 envelope as root part (application/xop+xml; type="application/soap+xml"), then one binary part per
 * document, each named by the Content-ID its xop:Include points at (RFC 2392 cid: URL). Part bodies are pulled
 * from their sources as the socket drains: nothing beyond a chunk or two is held in memory, whatever the size.
 * The boundary is a random 128-bit token: RFC 2046 5.1.1 wants it absent from the content, and with random bytes
 * a collision is not a practical concern.
 */
export interface MtomAttachment {
  /** Content-ID without angle brackets. */
  readonly contentId: string;
  readonly mimeType: string;
  /** Opens the part's bytes when the writer reaches it. */
  open(): Readable;
}

export interface MtomResponse {
  readonly contentType: string;
  readonly boundary: string;
  readonly rootContentId: string;
  /** The serialised SOAP envelope. */
  readonly root: string;
  readonly attachments: readonly MtomAttachment[];
}

const CRLF = '\r\n';
const DOMAIN = 'sandbox.mhd-xca-facade';

/** A fresh Content-ID (no brackets) for an attachment: only characters a cid: URL carries unescaped. */
export function newContentId(label: string): string {
  return `${label}.${randomUUID()}@${DOMAIN}`;
}

/** The `cid:` URL of a Content-ID, as xop:Include/@href writes it (RFC 2392; our ids need no escaping). */
export function cidUrl(contentId: string): string {
  return `cid:${contentId}`;
}

/** An MTOM package of `root` (a SOAP 1.2 envelope answering `action`) and its attachments. */
export function mtomPackage(root: string, action: string, attachments: readonly MtomAttachment[]): MtomResponse {
  const id = randomUUID().replace(/-/g, '');
  const boundary = `MIMEBoundary_${id}`;
  const rootContentId = `root.${id}@${DOMAIN}`;
  const contentType = [
    'multipart/related',
    `boundary="${boundary}"`,
    'type="application/xop+xml"',
    `start="<${rootContentId}>"`,
    'start-info="application/soap+xml"',
    `action="${action}"`,
  ].join('; ');
  return { contentType, boundary, rootContentId, root, attachments };
}

function partHead(boundary: string, contentType: string, contentId: string, first: boolean): Buffer {
  // The CRLF ending the previous part belongs to this delimiter (RFC 2046 5.1.1).
  const delimiter = `${first ? '' : CRLF}--${boundary}${CRLF}`;
  return Buffer.from(`${delimiter}Content-Type: ${contentType}${CRLF}Content-Transfer-Encoding: binary${CRLF}Content-ID: <${contentId}>${CRLF}${CRLF}`, 'latin1');
}

/**
 * The bytes of the package, in order. An async generator: each chunk is produced when the consumer asks for it,
 * so a stream built on it (Readable.from) follows the socket's back-pressure. Closing the generator early (the
 * client went away) destroys the attachment being read.
 */
export async function* mtomBody(message: MtomResponse): AsyncGenerator<Buffer> {
  const { boundary } = message;
  yield partHead(boundary, 'application/xop+xml; charset=UTF-8; type="application/soap+xml"', message.rootContentId, true);
  yield Buffer.from(message.root, 'utf8');
  for (const attachment of message.attachments) {
    yield partHead(boundary, attachment.mimeType, attachment.contentId, false);
    const source = attachment.open();
    try {
      for await (const chunk of source) yield chunk as Buffer;
    } finally {
      source.destroy();
    }
  }
  yield Buffer.from(`${CRLF}--${boundary}--${CRLF}`, 'latin1');
}
