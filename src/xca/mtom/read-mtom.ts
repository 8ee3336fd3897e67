/**
 * readMtom: the entry point for an MTOM/XOP response (W3C SOAP MTOM, XOP 1.0; RFC 2387 multipart/related) to
 * ITI-39 Cross Gateway Retrieve or RAD-75. It resolves once the SOAP root part has been read; attachments are
 * then streamed on demand, so a 1 GB document flows to the FHIR client without ever being held in memory.
 *
 * Usage:
 *   if (!isMultipart(contentType)) → plain SOAP body with inline base64 <Document> (not this module)
 *   const msg = await readMtom(body, contentType);
 *   parse msg.root.xml; for the wanted DocumentResponse take xop:Include/@href
 *   pipeline(msg.attachment(href), res)   // errors (truncation...) arrive on the stream
 *   await msg.drain()                     // optional: read the rest, confirm the close delimiter
 */
import type { Readable } from 'node:stream';
import { attachmentStream, nextChunk } from './attachment-stream';
import { normaliseContentId } from './content-id';
import { MtomError } from './errors';
import { parseMediaType } from './media-type';
import type { MtomPartInfo } from './part-headers';
import { MultipartScanner } from './scanner';
import { MtomSession, type PartRecord } from './session';
import { chunkSource } from './source';

/** Bounds of what is held in memory. Everything else streams. */
export interface MtomReadOptions {
  /** Largest SOAP root part (decoded bytes). Default 10 MiB. */
  readonly maxRootBytes?: number;
  /** Largest header block of one part. Default 16 KiB. */
  readonly maxHeaderBytes?: number;
  /** Largest total of attachments held in memory (before the root, or passed over). Default 32 MiB. */
  readonly maxBufferedAttachmentBytes?: number;
}

export const MTOM_DEFAULTS = {
  maxRootBytes: 10 * 1024 * 1024,
  maxHeaderBytes: 16 * 1024,
  maxBufferedAttachmentBytes: 32 * 1024 * 1024,
} as const;

/** The SOAP root part (RFC 2387 `start`, else the first part), decoded to text. */
export interface MtomRoot {
  readonly contentId: string | undefined;
  /** The part's Content-Type, e.g. `application/xop+xml; charset=UTF-8; type="application/soap+xml"`. */
  readonly contentType: string | undefined;
  readonly xml: string;
}

/** A multipart message whose root has been read and whose attachments are read on demand. */
export interface MtomMessage {
  readonly root: MtomRoot;
  /**
   * The attachment with this Content-ID, as `cid:` URL (xop:Include/@href, encoded or not) or Content-ID (with or
   * without brackets). Streams straight from the source when parts are opened in document order; a part opened
   * twice, unknown, or discarded gives an MtomError on the stream. A truncated body errors the stream being read.
   */
  attachment(contentIdOrHref: string): Readable;
  /** Content-IDs (canonical) of the parts read so far, root included, in document order. */
  contentIds(): string[];
  /** Headers of a part read so far, by Content-ID or `cid:` URL. */
  partInfo(contentIdOrHref: string): MtomPartInfo | undefined;
  /** Read to the close delimiter, dropping parts not opened with attachment(); then resolves like `done`. */
  drain(): Promise<void>;
  /** Stop reading and release the source; open streams fail with reason 'aborted'. */
  abort(): void;
  /** Resolves when the close delimiter and epilogue have been read; rejects on the first fatal error. */
  readonly done: Promise<void>;
}

function decodeText(bytes: Buffer, contentType: string | undefined): string {
  const charset = parseMediaType(contentType).params['charset'] ?? 'utf-8';
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes); // unknown label: XML's own default (XML 1.0 §4.3.3)
  }
}

/** Read the root part fully, within `maxRootBytes`. Parts before it are held by advance() (bounded). */
async function readRoot(session: MtomSession, start: string | undefined, maxRootBytes: number): Promise<MtomRoot> {
  let root: PartRecord | undefined;
  while (root === undefined) {
    if (!(await session.advance())) {
      throw start === undefined
        ? new MtomError('no-root', 'The multipart body holds no part')
        : new MtomError('no-root', `No MTOM part has the Content-ID <${start}> named by the start parameter`);
    }
    const part = session.current;
    if (part !== undefined && (start === undefined || part.info.contentId === start)) root = part;
  }
  root.claimed = true;
  const chunks: Buffer[] = [];
  let size = 0;
  for (let chunk = await nextChunk(session, root); chunk !== null; chunk = await nextChunk(session, root)) {
    size += chunk.length;
    if (size > maxRootBytes) throw new MtomError('root-too-large', `The SOAP root part of the MTOM response exceeds ${maxRootBytes} bytes`);
    chunks.push(chunk);
  }
  return { contentId: root.info.contentId, contentType: root.info.contentType, xml: decodeText(Buffer.concat(chunks, size), root.info.contentType) };
}

function toMessage(session: MtomSession, root: MtomRoot): MtomMessage {
  return {
    root,
    done: session.done,
    attachment: (id) => attachmentStream(session, normaliseContentId(id)),
    contentIds: () => session.parts.flatMap((part) => (part.info.contentId === undefined ? [] : [part.info.contentId])),
    partInfo: (id) => session.find(normaliseContentId(id))?.info,
    drain: async () => {
      session.discardUnclaimed = true;
      for (const part of session.parts) if (!part.claimed) session.discard(part);
      await session.run(async () => {
        while (await session.advance()) {
          // each unopened part is dropped as advance() passes over it
        }
      });
      return session.done;
    },
    abort: () => {
      session.fail(new MtomError('aborted', 'Reading of the MTOM response was abandoned'));
    },
  };
}

/**
 * Read an MTOM/XOP multipart body up to and including its SOAP root part.
 * @param body the HTTP body (Node Readable, undici body, or any AsyncIterable of byte chunks).
 * @param contentType the HTTP Content-Type value; undefined (or without boundary) → boundary from the first line.
 * @throws MtomError ('not-multipart' when contentType is not multipart/*; framing/limit reasons otherwise).
 *   On any rejection but 'not-multipart' the source has been released.
 */
export async function readMtom(body: AsyncIterable<unknown>, contentType: string | undefined, options: MtomReadOptions = {}): Promise<MtomMessage> {
  const media = parseMediaType(contentType);
  if (media.type !== '' && !media.type.startsWith('multipart/')) {
    throw new MtomError('not-multipart', `Expected a multipart/related (MTOM) response, got "${media.type}"`);
  }
  const limits = {
    maxRootBytes: options.maxRootBytes ?? MTOM_DEFAULTS.maxRootBytes,
    maxHeaderBytes: options.maxHeaderBytes ?? MTOM_DEFAULTS.maxHeaderBytes,
    maxBufferedAttachmentBytes: options.maxBufferedAttachmentBytes ?? MTOM_DEFAULTS.maxBufferedAttachmentBytes,
  };
  const scanner = new MultipartScanner(chunkSource(body), media.params['boundary'], limits.maxHeaderBytes);
  const session = new MtomSession(scanner, limits.maxBufferedAttachmentBytes);
  const start = media.params['start'];
  const startId = start === undefined || start.trim() === '' ? undefined : normaliseContentId(start);
  const root = await session.run(() => readRoot(session, startId, limits.maxRootBytes));
  return toMessage(session, root);
}
