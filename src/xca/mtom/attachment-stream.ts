/**
 * The Readable handed out for one attachment. Each `_read` pulls exactly one chunk through the session, so the
 * socket is read only as fast as the consumer (e.g. the FHIR client's response) drains: back-pressure end to end.
 * Errors (a truncated body above all) arrive as an 'error' on this stream, never as a clean end, so a consumer
 * piping it to a client aborts that response instead of sending a short document.
 */
import { Readable } from 'node:stream';
import { MtomError } from './errors';
import type { MtomSession, PartRecord } from './session';

/** Shorten a Content-ID for a diagnostic: it comes from the wire and could be anything. */
function shown(contentId: string): string {
  return contentId.length > 120 ? `${contentId.slice(0, 117)}...` : contentId;
}

/** Find (reading forward as needed) the part with this Content-ID and mark it opened. */
export async function claimPart(session: MtomSession, contentId: string): Promise<PartRecord> {
  for (;;) {
    const record = session.find(contentId);
    if (record !== undefined) {
      if (record.claimed || record.discarded) {
        throw new MtomError('attachment-consumed', `The MTOM part <${shown(contentId)}> was already read (or is the SOAP root)`);
      }
      record.claimed = true;
      return record;
    }
    if (!(await session.advance())) {
      throw new MtomError('unknown-cid', `No MTOM part has Content-ID <${shown(contentId)}>, which the SOAP body refers to`);
    }
  }
}

/**
 * The next chunk of `record`, or null at its end. At the end of a part read from the source, the next part's
 * headers (or the close delimiter) are read before the end is reported, so a body cut off right after this part
 * still surfaces as an error here. That read is small: one header block, bounded by maxHeaderBytes.
 */
export async function nextChunk(session: MtomSession, record: PartRecord): Promise<Buffer | null> {
  const chunk = await session.readChunk(record);
  if (chunk === null && session.current === record) await session.advance();
  return chunk;
}

/** A Readable over the attachment with canonical Content-ID `contentId`. */
export function attachmentStream(session: MtomSession, contentId: string): Readable {
  let record: PartRecord | undefined;
  const stream = new Readable({
    read(): void {
      session
        .run(async () => {
          record ??= await claimPart(session, contentId);
          return nextChunk(session, record);
        })
        .then(
          (chunk) => {
            stream.push(chunk);
          },
          (err: unknown) => {
            stream.destroy(err instanceof Error ? err : new MtomError('source-error', 'Reading the MTOM attachment failed', { cause: err }));
          },
        );
    },
    destroy(err, callback): void {
      // A consumer that goes away (client disconnect) leaves bytes nobody will read: drop them, do not hold them.
      // After a normal end this only marks the part as read.
      if (record !== undefined) session.discard(record);
      callback(err);
    },
  });
  return stream;
}
