/**
 * readMtom over a real HTTP exchange: a node:http responder on 127.0.0.1 writes an MTOM response in pieces and
 * undici reads it, as the ITI-39 transport does. A connection cut mid-attachment or a body that simply stops
 * before the close delimiter must fail the attachment stream, never end it cleanly.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { isMtomError, readMtom } from '../../../../src/xca/mtom';
import { readAll } from './mtom-kit';

const BOUNDARY = 'uuid:5ef8425b-44e7-4a4c-8144-b8ddacb300f9+id=186535';
const CONTENT_TYPE = `multipart/related; type="application/xop+xml"; boundary="${BOUNDARY}"; start="<http://tempuri.org/0>"; start-info="application/soap+xml"`;
const DOCUMENT = crypto.randomBytes(3 * 1024 * 1024 + 17);
const HEAD = Buffer.from(
  `--${BOUNDARY}\nContent-ID: <http://tempuri.org/0>\nContent-Transfer-Encoding: 8bit\nContent-Type: application/xop+xml;charset=utf-8;type="application/soap+xml"\n\n` +
    '<s:Envelope><s:Body><Document><xop:Include href="cid:http://tempuri.org/1/6385"/></Document></s:Body></s:Envelope>' +
    `\n--${BOUNDARY}\nContent-ID: <http://tempuri.org/1/6385>\nContent-Transfer-Encoding: binary\nContent-Type: application/octet-stream\n\n`,
);
const TAIL = Buffer.from(`\n--${BOUNDARY}--\n`);

type Ending = 'complete' | 'cut-connection' | 'no-close-delimiter';

/** Write HEAD, the document in 256 KiB pieces (a timer turn apart), then end as told. */
async function respond(res: http.ServerResponse, ending: Ending): Promise<void> {
  res.writeHead(200, { 'Content-Type': CONTENT_TYPE });
  res.write(HEAD);
  const stop = ending === 'complete' ? DOCUMENT.length : DOCUMENT.length / 2;
  for (let offset = 0; offset < stop; offset += 256 * 1024) {
    if (!res.write(DOCUMENT.subarray(offset, Math.min(offset + 256 * 1024, stop)))) await new Promise((r) => res.once('drain', r));
    await new Promise((r) => setTimeout(r, 1));
  }
  if (ending === 'cut-connection') res.socket?.destroy();
  else res.end(ending === 'complete' ? TAIL : undefined);
}

describe('readMtom on an undici response body', () => {
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => void respond(res, (req.url ?? '/').slice(1) as Ending));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  async function open(ending: Ending): Promise<Awaited<ReturnType<typeof readMtom>>> {
    const response = await request(`${base}/${ending}`);
    const contentType = response.headers['content-type'];
    return readMtom(response.body, typeof contentType === 'string' ? contentType : undefined);
  }

  it('streams the document intact', async () => {
    const message = await open('complete');
    expect(message.root.xml).toContain('cid:http://tempuri.org/1/6385');
    expect((await readAll(message.attachment('cid:http://tempuri.org/1/6385'))).equals(DOCUMENT)).toBe(true);
    await expect(message.done).resolves.toBeUndefined();
  });

  it.each([
    ['cut-connection', 'source-error'],
    ['no-close-delimiter', 'truncated'],
  ] as const)('%s fails the attachment stream with %s', async (ending, reason) => {
    const message = await open(ending);
    const err: unknown = await readAll(message.attachment('cid:http://tempuri.org/1/6385')).then(
      () => 'ended cleanly',
      (e: unknown) => e,
    );
    expect(isMtomError(err, reason)).toBe(true);
  });
});
