import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { XcaError } from '../../../../src/xca/errors';
import { parseAdhocQueryResponse } from '../../../../src/xca/iti38/response-parser';
import { fixture, whole } from '../support/sources';
import { xcaRejection } from '../support/rejection';

/** Hostile answers: each must end in a clean XcaError, nothing fetched or read, and the process still working. */

const Q = 'xmlns:q="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0" xmlns:r="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"';
const SUCCESS = 'status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"';

function withValue(value: string, doctype = ''): string {
  return `<?xml version="1.0"?>${doctype}<q:AdhocQueryResponse ${Q} ${SUCCESS}><r:RegistryObjectList><r:ExtrinsicObject id="urn:uuid:1"><r:Slot name="x"><r:ValueList><r:Value>${value}</r:Value></r:ValueList></r:Slot></r:ExtrinsicObject></r:RegistryObjectList></q:AdhocQueryResponse>`;
}

async function rejection(source: AsyncIterable<Buffer | string>, maxBytes = 1024 * 1024): Promise<XcaError> {
  return xcaRejection(parseAdhocQueryResponse(source, { maxBytes }));
}

describe('hostile XML', () => {
  let secretDir: string;
  let secretFile: string;
  let server: http.Server;
  let hits = 0;
  let baseUrl = '';

  beforeAll(async () => {
    secretDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xxe-'));
    secretFile = path.join(secretDir, 'secret.txt');
    fs.writeFileSync(secretFile, 'TOP-SECRET-CONTENT');
    server = http.createServer((_req, res) => {
      hits++;
      res.end('<!ENTITY leak "FETCHED">');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(secretDir, { recursive: true, force: true });
  });

  afterEach(() => jest.restoreAllMocks());

  it('XXE to a local file: refused, and the file is never opened', async () => {
    // Call-through spies: we only watch which paths get opened.
    const spies = [
      jest.spyOn(fs, 'openSync'),
      jest.spyOn(fs, 'readFileSync'),
      jest.spyOn(fs, 'open'),
      jest.spyOn(fs, 'readFile'),
      jest.spyOn(fs, 'createReadStream'),
      jest.spyOn(fs.promises, 'open'),
      jest.spyOn(fs.promises, 'readFile'),
    ];
    const doc = withValue('&xxe;', `<!DOCTYPE q:AdhocQueryResponse [<!ENTITY xxe SYSTEM "file://${secretFile}">]>`);
    const err = await rejection(whole(doc));
    expect(err.kind).toBe('unparseable');
    expect(err.message).toMatch(/DOCTYPE/);
    expect(err.message).not.toContain('TOP-SECRET');
    const touched = spies.flatMap((spy) => spy.mock.calls.map((args) => String(args[0])));
    expect(touched.filter((p) => p.includes(secretDir))).toEqual([]);
  });

  it('XXE to an http URL (general and parameter entities): refused, and nothing is fetched', async () => {
    const general = withValue('&xxe;', `<!DOCTYPE q:AdhocQueryResponse [<!ENTITY xxe SYSTEM "${baseUrl}/general">]>`);
    const parameter = withValue('x', `<!DOCTYPE q:AdhocQueryResponse [<!ENTITY % p SYSTEM "${baseUrl}/parameter"> %p;]>`);
    const external = withValue('x', `<!DOCTYPE q:AdhocQueryResponse SYSTEM "${baseUrl}/external.dtd">`);
    for (const doc of [general, parameter, external]) {
      const err = await rejection(whole(doc));
      expect(err.kind).toBe('unparseable');
      expect(err.message).not.toContain('FETCHED');
    }
    await new Promise((resolve) => setTimeout(resolve, 100)); // give a stray fetch time to arrive
    expect(hits).toBe(0);
  });

  it('billion laughs: refused at once, without expanding anything', async () => {
    const started = Date.now();
    const heapBefore = process.memoryUsage().heapUsed;
    const err = await rejection(whole(fixture('billion-laughs.xml')));
    expect(err.kind).toBe('unparseable');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(50 * 1024 * 1024);
  });

  it('an undeclared entity (no DOCTYPE) is not well-formed', async () => {
    const err = await rejection(whole(withValue('&lol9;')));
    expect(err.kind).toBe('unparseable');
    expect(err.message).toMatch(/not well-formed XML/);
  });

  it('a truncated document is refused wherever it is cut', async () => {
    const full = fixture('leafclass-prefixed.xml');
    for (let cut = 1; cut < full.length - 20; cut += 397) {
      const err = await rejection(whole(full.subarray(0, cut)));
      expect(err.kind).toBe('unparseable');
    }
  });

  it('oversize: fails past maxBytes and stops reading the source', async () => {
    let pulled = 0;
    let stopped = false;
    async function* endless(): AsyncGenerator<Buffer> {
      try {
        yield Buffer.from(`<q:AdhocQueryResponse ${Q} ${SUCCESS}><r:RegistryObjectList>`);
        for (;;) {
          pulled++;
          yield Buffer.from('<r:ObjectRef id="urn:uuid:00000000-0000-4000-8000-000000000000"/>'.repeat(16));
        }
      } finally {
        stopped = true;
      }
    }
    const err = await rejection(endless(), 100_000);
    expect(err.kind).toBe('oversize');
    expect(err.message).toBe('The ITI-38 response is larger than the limit of 100000 bytes');
    expect(stopped).toBe(true);
    expect(pulled).toBeLessThan(200);
  });

  it('deep nesting is refused (also far beyond the limit, without a stack overflow)', async () => {
    for (const depth of [100, 200_000]) {
      const doc = `<q:AdhocQueryResponse ${Q} ${SUCCESS}>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</q:AdhocQueryResponse>`;
      const err = await rejection(whole(doc), 10 * 1024 * 1024);
      expect(err.kind).toBe('unparseable');
      expect(err.message).toMatch(/deeper than 64 levels/);
    }
  });

  it('an inflated text value or attribute is refused', async () => {
    expect((await rejection(whole(withValue('x'.repeat(300_000))), 10 * 1024 * 1024)).kind).toBe('oversize');
    const pieced = withValue(`${'x'.repeat(200_000)}<![CDATA[${'z'.repeat(100_000)}]]>`);
    expect((await rejection(whole(pieced), 10 * 1024 * 1024)).kind).toBe('oversize');
    const attr = `<q:AdhocQueryResponse ${Q} ${SUCCESS} junk="${'y'.repeat(70_000)}"/>`;
    expect((await rejection(whole(attr), 10 * 1024 * 1024)).message).toMatch(/attribute longer than/);
  });

  it('invalid UTF-8 and an unsupported declared encoding are refused', async () => {
    const bad = Buffer.concat([Buffer.from(withValue('ok').slice(0, 200)), Buffer.from([0xc3, 0x28]), Buffer.from(withValue('ok').slice(200))]);
    expect((await rejection(whole(bad))).kind).toBe('unparseable');
    const latin = withValue('ok').replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="EBCDIC-CP-US"?>');
    expect((await rejection(whole(latin))).message).toMatch(/unsupported character encoding/);
  });

  it('the process is fine afterwards: a normal answer still parses', async () => {
    const result = await parseAdhocQueryResponse(whole(fixture('leafclass-prefixed.xml')), { maxBytes: 1024 * 1024 });
    expect(result.extrinsicObjects).toHaveLength(1);
  });
});
