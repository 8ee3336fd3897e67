/**
 * The MTOM reader against public captures (../shared/fixtures/public, see SOURCES.md there): WCF/Epic ITI-39
 * bodies with LF and CRLF framing, lower-case headers, a root-only CXF body, and a full Axis2 HTTP request.
 * Expected lengths and SHA-256 digests were taken from the files independently of this reader.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PUBLIC_FIXTURES as FIXTURES } from './public-fixtures';
import { parseMediaType, readMtom, type MtomMessage } from '../../src/xca/mtom';

const fixture = (name: string): Buffer => fs.readFileSync(path.join(FIXTURES, 'public', name));

async function* chunked(body: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < body.length; i += size) yield body.subarray(i, i + size);
}

/** Split a raw HTTP/1.1 message: the Content-Type value (trimmed) and the body after the first blank line. */
function splitHttp(raw: Buffer): { contentType: string | undefined; body: Buffer } {
  const end = raw.indexOf('\n\n') >= 0 ? raw.indexOf('\n\n') + 2 : raw.indexOf('\r\n\r\n') + 4;
  const header = raw.subarray(0, end).toString('latin1').split(/\r?\n/).find((line) => /^content-type:/i.test(line));
  return { contentType: header?.slice(header.indexOf(':') + 1).trim(), body: raw.subarray(end) };
}

interface Expected {
  readonly contentIds: readonly string[];
  readonly rootIncludes: string;
  /** Per xop:Include href, in document order: attachment length and SHA-256. */
  readonly attachments: ReadonlyArray<readonly [number, string]>;
}

interface Case {
  readonly file: string;
  readonly load: () => { contentType: string | undefined; body: Buffer };
  readonly expected: Expected;
}

const bodyOnly = (file: string) => (): { contentType: undefined; body: Buffer } => ({ contentType: undefined, body: fixture(file) });
const DOC_98 = [98, '6f43634a851b89af5ae4577835df7406f8aa9389fb0fca5edfd1273c22541bee'] as const;
const DOC_121 = [121, '2a0583976b83893ad96d94529365e5c0d9c5a1a34580009ad04805f5060c3412'] as const;

const CASES: readonly Case[] = [
  {
    file: 'iti39/metriport-mtom.txt (LF)',
    load: bodyOnly('iti39/metriport-mtom.txt'),
    expected: { contentIds: ['http://tempuri.org/0', 'http://tempuri.org/1/638508752600716378'], rootIncludes: 'CrossGatewayRetrieveResponse', attachments: [DOC_98] },
  },
  {
    file: 'iti39/metriport-multi-mtom.txt (CRLF, leading blank line)',
    load: bodyOnly('iti39/metriport-multi-mtom.txt'),
    expected: {
      contentIds: ['http://tempuri.org/0', 'http://tempuri.org/1/638509440267508087', 'http://tempuri.org/2/638509440267508087'],
      rootIncludes: 'CrossGatewayRetrieveResponse',
      attachments: [DOC_121, DOC_121],
    },
  },
  {
    file: 'iti39/metriport-mtom-xml.txt (lower-case headers, text/xml;)',
    load: bodyOnly('iti39/metriport-mtom-xml.txt'),
    expected: {
      contentIds: ['0.urn:uuid:2a28fe28-cd7d-44f9-88dd-0ab2a2d80073', '1.urn:uuid:83e0fc9b-b6b3-4c40-a4fe-de080e941f82'],
      rootIncludes: 'CrossGatewayRetrieveResponse',
      attachments: [[183, 'fa3bc73e922237e4bef9dfc768e9370c5d3db2e69d7f22a520acc3a3a3cebb69']],
    },
  },
  {
    file: 'iti39/metriport-mtom-without-multipart.txt (root only)',
    load: bodyOnly('iti39/metriport-mtom-without-multipart.txt'),
    expected: { contentIds: ['root.message@cxf.apache.org'], rootIncludes: '<xdsb:Document></xdsb:Document>', attachments: [] },
  },
  {
    file: 'mtom/nist-http-mtom-pnr.txt (full HTTP message, padded header lines)',
    load: () => splitHttp(fixture('mtom/nist-http-mtom-pnr.txt')),
    expected: {
      contentIds: ['0.urn:uuid:3D4B161591CD1DEC0C1286850962203@apache.org', '1.urn:uuid:3D4B161591CD1DEC0C1286850962319@apache.org'],
      rootIncludes: 'ProvideAndRegisterDocumentSetRequest',
      attachments: [[1465, '9f46984af9c8f83a4d110c01a7fd59ff990ea35ad8e2e4509ab7794f4c0415b2']],
    },
  },
];

/** Open every xop:Include of the root in order; each href must resolve to a part. */
async function readIncludes(message: MtomMessage): Promise<Array<readonly [number, string]>> {
  const hrefs = [...message.root.xml.matchAll(/<(?:\w+:)?Include\b[^>]*\bhref="([^"]+)"/g)].map((m) => m[1] as string);
  const out: Array<readonly [number, string]> = [];
  for (const href of hrefs) {
    const hash = crypto.createHash('sha256');
    let length = 0;
    for await (const chunk of message.attachment(href)) {
      length += (chunk as Buffer).length;
      hash.update(chunk as Buffer);
    }
    out.push([length, hash.digest('hex')]);
  }
  return out;
}

async function readCase(body: AsyncIterable<Buffer>, contentType: string | undefined): Promise<{ message: MtomMessage; attachments: Array<readonly [number, string]> }> {
  const message = await readMtom(body, contentType);
  const attachments = await readIncludes(message);
  await message.drain();
  return { message, attachments };
}

describe('readMtom on public MTOM captures', () => {
  it.each(CASES.map((c) => [c.file, c] as const))('%s', async (_name, c) => {
    const { contentType, body } = c.load();
    const { message, attachments } = await readCase(chunked(body, body.length), contentType);
    expect(message.contentIds()).toEqual(c.expected.contentIds);
    expect(message.root.contentId).toBe(c.expected.contentIds[0]);
    expect(message.root.xml).toContain(c.expected.rootIncludes);
    expect(message.root.xml.trimEnd().endsWith('Envelope>')).toBe(true);
    expect(attachments).toEqual(c.expected.attachments);
  });

  it.each(CASES.map((c) => [c.file, c] as const))('%s, one byte per chunk and 7-byte chunks, reads the same', async (_name, c) => {
    const { contentType, body } = c.load();
    for (const size of [1, 7]) {
      const { message, attachments } = await readCase(chunked(body, size), contentType);
      expect(message.contentIds()).toEqual(c.expected.contentIds);
      expect(attachments).toEqual(c.expected.attachments);
    }
  });

  it('reads the Axis2 HTTP Content-Type parameters (trailing space, start, start-info, action)', () => {
    const { contentType } = splitHttp(fixture('mtom/nist-http-mtom-pnr.txt'));
    expect(parseMediaType(contentType)).toEqual({
      type: 'multipart/related',
      params: {
        boundary: 'MIMEBoundaryurn_uuid_3D4B161591CD1DEC0C1286850962202',
        type: 'application/xop+xml',
        start: '<0.urn:uuid:3D4B161591CD1DEC0C1286850962203@apache.org>',
        'start-info': 'application/soap+xml',
        action: 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b',
      },
    });
  });

  it('reads the lower-case part headers of the mtom-xml capture', async () => {
    const message = await readMtom(chunked(fixture('iti39/metriport-mtom-xml.txt'), 4096), undefined);
    expect(message.root.contentType).toBe('application/xop+xml; charset=UTF-8; type="application/soap+xml"');
    await readIncludes(message);
    expect(message.partInfo('cid:1.urn:uuid:83e0fc9b-b6b3-4c40-a4fe-de080e941f82')).toMatchObject({ mediaType: 'text/xml', contentType: 'text/xml;', transferEncoding: 'binary' });
  });
});
