import { Readable } from 'node:stream';
import { mtomBody, mtomPackage, newContentId } from '../../../../src/sandbox/retrieve/mtom-response';
import { parseMediaType } from '../../../../src/sandbox/soap/content-type';
import { readMtom } from '../../../../src/xca/mtom';

/** The MTOM writer, read back with the project's MTOM reader. */
async function collect(iterable: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of iterable) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('mtomPackage / mtomBody', () => {
  const pdf = Buffer.from('%PDF-1.4\r\n--not-a-boundary\r\n\u0000\u00ff binary', 'latin1');
  const dicom = Buffer.alloc(70_000, 0x5a);
  const ids = [newContentId('document1'), newContentId('document2')];
  const message = mtomPackage('<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body/></env:Envelope>', 'urn:a', [
    { contentId: ids[0]!, mimeType: 'application/pdf', open: () => Readable.from([pdf]) },
    { contentId: ids[1]!, mimeType: 'application/dicom', open: () => Readable.from([dicom.subarray(0, 1000), dicom.subarray(1000)]) },
  ]);

  it('announces multipart/related with the MTOM parameters (SOAP MTOM 1.0 4.3)', () => {
    const media = parseMediaType(message.contentType);
    expect(media?.type).toBe('multipart/related');
    expect(Object.fromEntries(media!.params)).toEqual({ boundary: message.boundary, type: 'application/xop+xml', start: `<${message.rootContentId}>`, 'start-info': 'application/soap+xml', action: 'urn:a' });
  });

  it('reads back: the root part first, then each attachment byte for byte under its Content-ID', async () => {
    const body = await collect(mtomBody(message));
    const read = await readMtom(Readable.from([body]), message.contentType);
    expect(read.root.xml).toBe(message.root);
    expect(read.root.contentType).toBe('application/xop+xml; charset=UTF-8; type="application/soap+xml"');
    expect((await readAll(read.attachment(`cid:${ids[0]!}`))).equals(pdf)).toBe(true);
    expect((await readAll(read.attachment(`cid:${ids[1]!}`))).equals(dicom)).toBe(true);
    await read.drain();
    expect(read.partInfo(ids[1]!)?.contentType).toBe('application/dicom');
    expect(body.subarray(-(message.boundary.length + 8)).toString('latin1')).toBe(`\r\n--${message.boundary}--\r\n`);
  });

  it('opens each source only when it reaches it, and closes the open one when the reader stops early', async () => {
    let opened = 0;
    let destroyed = false;
    const endless = new Readable({
      read() {
        this.push(Buffer.alloc(1024));
      },
      destroy(err, cb) {
        destroyed = true;
        cb(err);
      },
    });
    const gen = mtomBody(mtomPackage('<x/>', 'urn:a', [{ contentId: 'c@x', mimeType: 'application/pdf', open: () => (opened++, endless) }]));
    await gen.next();
    await gen.next();
    expect(opened).toBe(0);
    await gen.next();
    await gen.next();
    expect(opened).toBe(1);
    await gen.return(undefined);
    expect(destroyed).toBe(true);
  });
});
