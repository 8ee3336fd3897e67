/**
 * Helpers for the MTOM reader tests: build multipart bodies by hand, feed them in any chunking, and reduce a
 * parse to a plain comparable value (so a parse of the whole body and of every split can be compared).
 */
import { isMtomError, readMtom, type MtomReadOptions } from '../../../../src/xca/mtom';

/** One body part: header lines (without line ends) and content. */
export interface PartSpec {
  readonly headers: readonly string[];
  readonly body: string | Buffer;
}

/** A multipart body laid out from parts; every separator is spelled out so variants stay visible. */
export interface BodySpec {
  readonly boundary: string;
  readonly parts: readonly PartSpec[];
  /** Line end used everywhere (default CRLF). */
  readonly eol?: string;
  readonly preamble?: string;
  readonly epilogue?: string;
  /** Transport padding after every boundary (RFC 2046 §5.1.1). */
  readonly padding?: string;
  /** Write the close delimiter (default true). */
  readonly close?: boolean;
}

/** Lay out a multipart body. */
export function buildBody(spec: BodySpec): Buffer {
  const eol = spec.eol ?? '\r\n';
  const pad = spec.padding ?? '';
  const out: Buffer[] = [];
  if (spec.preamble !== undefined) out.push(Buffer.from(spec.preamble + eol, 'latin1'));
  spec.parts.forEach((part, i) => {
    const lead = i === 0 ? '' : eol;
    out.push(Buffer.from(`${lead}--${spec.boundary}${pad}${eol}${part.headers.map((h) => h + eol).join('')}${eol}`, 'latin1'));
    out.push(typeof part.body === 'string' ? Buffer.from(part.body, 'utf8') : part.body);
  });
  if (spec.close !== false) out.push(Buffer.from(`${eol}--${spec.boundary}--${pad}${eol}${spec.epilogue ?? ''}`, 'latin1'));
  return Buffer.concat(out);
}

/** An async source yielding the given chunks, one per pull. */
export async function* chunksOf(chunks: readonly Buffer[]): AsyncGenerator<Buffer> {
  for (const chunk of chunks) yield chunk;
}

/** Every way to cut `body` in two, each as a two-chunk list. */
export function twoWaySplits(body: Buffer): Buffer[][] {
  const splits: Buffer[][] = [];
  for (let i = 1; i < body.length; i += 1) splits.push([body.subarray(0, i), body.subarray(i)]);
  return splits;
}

/** `body` one byte per chunk. */
export function bytewise(body: Buffer): Buffer[] {
  return Array.from({ length: body.length }, (_, i) => body.subarray(i, i + 1));
}

/** A parse reduced to comparable data: where it failed and why, or what it read. */
export type ParseOutcome =
  | {
      readonly ok: true;
      readonly rootId: string | undefined;
      readonly rootType: string | undefined;
      readonly xml: string;
      readonly attachments: ReadonlyArray<readonly [string, string]>;
      readonly contentIds: readonly string[];
    }
  | { readonly ok: false; readonly stage: 'root' | 'attachment' | 'done'; readonly reason: string };

function reasonOf(err: unknown): string {
  return isMtomError(err) ? err.reason : `not an MtomError: ${String(err)}`;
}

/** Read all bytes of a Readable. */
export async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Parse `chunks`, open `cids` in that order (each read to its end, as hex), then drain and await `done`.
 * Any failure is reported with the stage it happened at.
 */
export async function parseToOutcome(
  chunks: readonly Buffer[],
  contentType: string | undefined,
  cids: readonly string[],
  options: MtomReadOptions = {},
): Promise<ParseOutcome> {
  let message;
  try {
    message = await readMtom(chunksOf(chunks), contentType, options);
  } catch (err) {
    return { ok: false, stage: 'root', reason: reasonOf(err) };
  }
  const attachments: Array<readonly [string, string]> = [];
  for (const cid of cids) {
    try {
      attachments.push([cid, (await readAll(message.attachment(cid))).toString('hex')]);
    } catch (err) {
      return { ok: false, stage: 'attachment', reason: reasonOf(err) };
    }
  }
  try {
    await message.drain();
  } catch (err) {
    return { ok: false, stage: 'done', reason: reasonOf(err) };
  }
  const { root } = message;
  return { ok: true, rootId: root.contentId, rootType: root.contentType, xml: root.xml, attachments, contentIds: message.contentIds() };
}

/** Hex of a UTF-8 string or bytes, to write expectations. */
export function hex(value: string | Buffer): string {
  return (typeof value === 'string' ? Buffer.from(value, 'utf8') : value).toString('hex');
}
