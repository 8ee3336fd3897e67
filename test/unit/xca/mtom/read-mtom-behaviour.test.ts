/**
 * How an MtomMessage behaves beyond framing: order of opening, the memory bound on held parts, drain/done,
 * abort, release of the source on failure, and errors surfacing on the attachment stream.
 */
import { Readable } from 'node:stream';
import { isMtomError, readMtom, type MtomError } from '../../../../src/xca/mtom';
import { BINARY } from './mtom-variants';
import { buildBody, chunksOf, readAll } from './mtom-kit';

const XML = '<Envelope/>';
const CT = 'multipart/related; boundary=b; start="<root@x>"';
const part = (id: string, body: string | Buffer, type = 'application/octet-stream'): { headers: string[]; body: string | Buffer } => ({
  headers: [`Content-ID: <${id}>`, `Content-Type: ${type}`],
  body,
});
const threeParts = buildBody({ boundary: 'b', parts: [part('root@x', XML, 'application/xop+xml'), part('one@x', 'first'), part('two@x', BINARY)] });

async function failureOf(promise: Promise<unknown>): Promise<MtomError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isMtomError(err)) throw new Error(`expected an MtomError, got ${String(err)}`);
  return err;
}

/** A Readable source we can observe being destroyed. */
function readableOf(...chunks: Buffer[]): Readable {
  return Readable.from(chunks);
}

describe('MtomMessage', () => {
  it('serves a part opened out of order from memory, and streams the rest in order', async () => {
    const message = await readMtom(chunksOf([threeParts]), CT);
    expect(await readAll(message.attachment('cid:two@x'))).toEqual(BINARY);
    expect((await readAll(message.attachment('cid:one@x'))).toString()).toBe('first');
    await expect(message.drain()).resolves.toBeUndefined();
  });

  it('bounds what it holds when a later part is opened first', async () => {
    const message = await readMtom(chunksOf([threeParts]), CT, { maxBufferedAttachmentBytes: 3 });
    const err = await failureOf(readAll(message.attachment('cid:two@x')));
    expect(err.reason).toBe('attachment-buffer-exceeded');
    expect(err.message).toMatch(/held in memory up to 3 bytes/);
    await expect(message.done).rejects.toBe(err);
  });

  it('reads two attachments concurrently without mixing their bytes', async () => {
    const message = await readMtom(chunksOf([threeParts]), CT);
    const [one, two] = await Promise.all([readAll(message.attachment('one@x')), readAll(message.attachment('two@x'))]);
    expect(one.toString()).toBe('first');
    expect(two).toEqual(BINARY);
  });

  it('refuses to open a part twice or the root as an attachment, without failing the message', async () => {
    const message = await readMtom(chunksOf([threeParts]), CT);
    expect((await readAll(message.attachment('one@x'))).toString()).toBe('first');
    expect((await failureOf(readAll(message.attachment('<one@x>')))).reason).toBe('attachment-consumed');
    expect((await failureOf(readAll(message.attachment('cid:root@x')))).reason).toBe('attachment-consumed');
    expect((await failureOf(readAll(message.attachment('cid:nope@x')))).reason).toBe('unknown-cid');
    expect(await readAll(message.attachment('two@x'))).toEqual(BINARY);
    await expect(message.done).resolves.toBeUndefined();
  });

  it('drain() drops unopened parts without holding them, then resolves done', async () => {
    const message = await readMtom(chunksOf([threeParts]), CT, { maxBufferedAttachmentBytes: 1 });
    await expect(message.drain()).resolves.toBeUndefined();
    expect(message.contentIds()).toEqual(['root@x', 'one@x', 'two@x']);
    expect((await failureOf(readAll(message.attachment('two@x')))).reason).toBe('attachment-consumed');
  });

  it('drops the rest of a part whose stream the consumer destroyed', async () => {
    const big = buildBody({ boundary: 'b', parts: [part('root@x', XML), part('one@x', Buffer.alloc(64 * 1024, 7)), part('two@x', 'tail')] });
    const chunks = Array.from({ length: Math.ceil(big.length / 1000) }, (_, i) => big.subarray(i * 1000, (i + 1) * 1000));
    const message = await readMtom(chunksOf(chunks), CT, { maxBufferedAttachmentBytes: 1024 });
    const stream = message.attachment('one@x');
    await new Promise<void>((resolve) => stream.once('data', () => resolve()));
    stream.destroy();
    expect((await readAll(message.attachment('two@x'))).toString()).toBe('tail');
    await expect(message.done).resolves.toBeUndefined();
  });

  it('reports a truncated body on the attachment stream and on done, and releases the source', async () => {
    const cut = buildBody({ boundary: 'b', close: false, parts: [part('root@x', XML), part('one@x', BINARY)] });
    const source = readableOf(cut);
    const message = await readMtom(source, CT);
    const stream = message.attachment('one@x');
    const err = await failureOf(readAll(stream));
    expect(err.reason).toBe('truncated');
    expect(err.message).toBe('The multipart body ended before its close delimiter "--b--": the response was cut short');
    expect(stream.destroyed).toBe(true);
    await expect(message.done).rejects.toBe(err);
    expect(source.destroyed).toBe(true);
  });

  it('abort() releases the source and fails later reads with reason aborted', async () => {
    const source = readableOf(threeParts.subarray(0, 120), threeParts.subarray(120));
    const message = await readMtom(source, CT);
    message.abort();
    expect((await failureOf(readAll(message.attachment('one@x')))).reason).toBe('aborted');
    expect((await failureOf(message.done)).reason).toBe('aborted');
    expect(source.destroyed).toBe(true);
  });

  it('wraps a failing source as source-error, keeping the cause', async () => {
    const boom = new Error('socket hang up');
    async function* failing(): AsyncGenerator<Buffer> {
      yield threeParts.subarray(0, 90);
      throw boom;
    }
    const err = await failureOf(readMtom(failing(), CT));
    expect(err.reason).toBe('source-error');
    expect(err.cause).toBe(boom);
  });

  it('refuses a non-multipart Content-Type without touching the body', async () => {
    const source = readableOf(Buffer.from('<Envelope/>'));
    const err = await failureOf(readMtom(source, 'application/soap+xml; charset=utf-8'));
    expect(err.reason).toBe('not-multipart');
    expect(source.destroyed).toBe(false);
  });

  it('exposes part headers: media type without the trailing semicolon, transfer encoding, Content-IDs', async () => {
    const body = buildBody({ boundary: 'b', parts: [part('root@x', XML), { headers: ['content-id: <1.urn:uuid:a@apache.org>', 'CONTENT-TYPE: text/xml;', 'Content-Transfer-Encoding: 8BIT'], body: '<a/>' }] });
    const message = await readMtom(chunksOf([body]), 'multipart/related; boundary=b');
    await readAll(message.attachment('cid:1.urn%3Auuid%3Aa%40apache.org'));
    expect(message.partInfo('cid:1.urn:uuid:a@apache.org')).toMatchObject({ mediaType: 'text/xml', contentType: 'text/xml;', transferEncoding: '8bit' });
    expect(message.contentIds()).toEqual(['root@x', '1.urn:uuid:a@apache.org']);
  });

  it('accepts Uint8Array and string chunks from a generic async iterable', async () => {
    const text = threeParts.toString('latin1');
    async function* mixed(): AsyncGenerator<Uint8Array | string> {
      yield new Uint8Array(threeParts.subarray(0, 50));
      yield text.slice(50);
    }
    const message = await readMtom(mixed(), CT);
    expect(await readAll(message.attachment('two@x'))).toEqual(BINARY);
  });
  it('resolves after the root and streams the attachment while the body is still arriving', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const head = buildBody({ boundary: 'b', close: false, parts: [part('root@x', XML), part('one@x', 'early bytes ')] });
    async function* slow(): AsyncGenerator<Buffer> {
      yield head;
      await gate; // the rest of the document has not arrived yet
      yield Buffer.from('late bytes\r\n--b--\r\n');
    }
    const message = await readMtom(slow(), CT);
    expect(message.root.xml).toBe(XML);
    const stream = message.attachment('one@x');
    const first = await new Promise<Buffer>((resolve) => stream.once('data', resolve));
    expect(first.toString()).toBe('early bytes ');
    release();
    expect((await readAll(stream)).toString()).toBe('late bytes');
    await expect(message.done).resolves.toBeUndefined();
  });

  it('treats a Readable destroyed before its end as a source error', async () => {
    const source = new Readable({ read: () => undefined });
    source.push(threeParts.subarray(0, 100));
    const pending = readMtom(source, CT);
    setImmediate(() => source.destroy());
    expect((await failureOf(pending)).reason).toBe('source-error');
  });
});
