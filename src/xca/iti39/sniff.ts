/**
 * Telling an MTOM package from plain XML when the answer has no Content-Type (seen with captured bodies and
 * hand-rolled responders): a multipart body starts with `--boundary` (RFC 2046 section 5.1.1; a preamble
 * before it is allowed but unseen in ITI-39 traffic), an XML body with `<` (or a byte-order mark).
 */

/** Leading whitespace looked through before deciding; past it the body is taken for XML. */
const MAX_SNIFF_BYTES = 64 * 1024;

/** What the body looks like, and the body itself to read again from its first byte. */
export interface Sniffed {
  readonly multipart: boolean;
  readonly body: AsyncIterable<Buffer>;
}

async function* replay(head: readonly Buffer[], rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  try {
    for (const chunk of head) yield chunk;
    for (;;) {
      const next = await rest.next();
      if (next.done === true) return;
      yield next.value;
    }
  } finally {
    await rest.return?.();
  }
}

/** Peek at the first non-whitespace bytes of `body`. */
export async function sniffMultipart(body: AsyncIterable<Buffer>): Promise<Sniffed> {
  const iterator = body[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let seen = 0;
  let multipart = false;
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) break;
    head.push(next.value);
    seen += next.value.length;
    const start = Buffer.concat(head).toString('latin1').trimStart();
    if (start.length >= 2 || (start.length === 1 && start !== '-')) {
      multipart = start.startsWith('--');
      break;
    }
    if (seen > MAX_SNIFF_BYTES) break;
  }
  return { multipart, body: replay(head, iterator) };
}
