import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Agent } from 'undici';
import { XcaError } from '../../../src/xca/errors';
import { postSoap, type PostSoapOptions } from '../../../src/xca/transport';
import { fixture } from './support/sources';
import { refusedUrl, sendSoap, startPeer, type Peer } from './support/http-peer';
import { xcaRejection } from './support/rejection';

const ACTION = 'urn:ihe:iti:2007:CrossGatewayQuery';
const ENVELOPE = '<?xml version="1.0"?><e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body/></e:Envelope>';

function options(url: string, extra: Partial<PostSoapOptions> = {}): PostSoapOptions {
  return { url, action: ACTION, envelope: ENVELOPE, timeoutMs: 2000, maxResponseBytes: 1024 * 1024, ...extra };
}

async function readAll(body: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}

async function rejection(promise: Promise<unknown>): Promise<XcaError> {
  return xcaRejection(promise);
}

describe('postSoap over HTTP', () => {
  let peer: Peer | undefined;
  afterEach(async () => {
    await peer?.close();
    peer = undefined;
  });

  it('POSTs the envelope with the SOAP 1.2 content type and returns status, content type and the body', async () => {
    peer = await startPeer((_req, res) => sendSoap(res, fixture('empty.xml')));
    const res = await postSoap(options(peer.url));
    expect(res.status).toBe(200);
    expect(res.contentType).toBe('application/soap+xml; charset=UTF-8');
    expect(await readAll(res.body)).toBe(fixture('empty.xml').toString('utf8'));
    const seen = peer.seen[0];
    expect(seen?.method).toBe('POST');
    expect(seen?.headers['content-type']).toBe(`application/soap+xml; charset=UTF-8; action="${ACTION}"`);
    expect(seen?.body).toBe(ENVELOPE);
  });

  it('non-2xx without a SOAP Fault is http-status', async () => {
    peer = await startPeer((_req, res) => sendSoap(res, '<html><body>Bad gateway</body></html>', 502, 'text/html'));
    const err = await rejection(postSoap(options(peer.url)));
    expect([err.kind, err.httpStatus, err.message]).toEqual(['http-status', 502, 'The responding gateway answered HTTP 502']);
  });

  it('non-2xx carrying a SOAP Fault is soap-fault, with the HTTP status kept', async () => {
    peer = await startPeer((_req, res) => sendSoap(res, fixture('soap12-fault.xml'), 500));
    const err = await rejection(postSoap(options(peer.url)));
    expect([err.kind, err.httpStatus, err.faultCode, err.faultSubcode]).toEqual(['soap-fault', 500, 'Sender', 'InvalidSecurity']);
  });

  it('non-2xx with broken XML is http-status', async () => {
    peer = await startPeer((_req, res) => sendSoap(res, '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Bo', 500));
    expect((await rejection(postSoap(options(peer.url)))).kind).toBe('http-status');
  });

  it('connection refused is network', async () => {
    const err = await rejection(postSoap(options(await refusedUrl())));
    expect(err.kind).toBe('network');
    expect(err.message).toBe('The responding gateway could not be reached (ECONNREFUSED)');
  });

  it('no answer within timeoutMs is timeout', async () => {
    peer = await startPeer(() => undefined); // never answers
    const started = Date.now();
    const err = await rejection(postSoap(options(peer.url, { timeoutMs: 200 })));
    expect([err.kind, err.message]).toEqual(['timeout', 'The responding gateway did not answer within 200 ms']);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('a body that stalls after the headers times out while being read', async () => {
    peer = await startPeer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/soap+xml' });
      res.write('<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope">');
    });
    const res = await postSoap(options(peer.url, { timeoutMs: 300 }));
    const err = await rejection(readAll(res.body));
    expect(err.kind).toBe('timeout');
  });

  it('an outer abort cancels the exchange (its XcaError reason wins)', async () => {
    peer = await startPeer(() => undefined);
    const plain = new AbortController();
    setTimeout(() => plain.abort(), 50);
    const err = await rejection(postSoap(options(peer.url, { signal: plain.signal })));
    expect([err.kind, err.message]).toEqual(['timeout', 'The request to the responding gateway was cancelled before it answered']);
    const withReason = new AbortController();
    const reason = new XcaError('timeout', 'Overall deadline reached');
    setTimeout(() => withReason.abort(reason), 50);
    expect(await rejection(postSoap(options(peer.url, { signal: withReason.signal })))).toBe(reason);
  });

  it('a declared Content-Length over the limit is oversize before reading', async () => {
    peer = await startPeer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/soap+xml', 'content-length': '20000' });
      res.end(Buffer.alloc(20_000, 'x'));
    });
    const err = await rejection(postSoap(options(peer.url, { maxResponseBytes: 10_000 })));
    expect([err.kind, err.message]).toEqual(['oversize', "The responding gateway's answer is larger than the limit of 10000 bytes"]);
  });

  it('a chunked body over the limit is oversize while reading', async () => {
    peer = await startPeer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/soap+xml' });
      for (let i = 0; i < 20; i++) res.write(Buffer.alloc(1000, 'x'));
      res.end();
    });
    const res = await postSoap(options(peer.url, { maxResponseBytes: 10_000 }));
    expect((await rejection(readAll(res.body))).kind).toBe('oversize');
  });
});

describe('postSoap over TLS', () => {
  let dir: string;
  let server: https.Server;
  let url: string;

  beforeAll(async () => {
    // A throw-away self-signed certificate, made per run so no key material lives in the repository.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xca-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    server = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/soap+xml' });
      res.end(fixture('empty.xml'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/xca/iti38`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('an untrusted certificate is tls, not network', async () => {
    const err = await rejection(postSoap(options(url)));
    expect(err.kind).toBe('tls');
    expect(err.message).toBe('TLS with the responding gateway failed: server certificate not trusted (DEPTH_ZERO_SELF_SIGNED_CERT)');
  });

  it('uses the injected dispatcher (here one that trusts the certificate)', async () => {
    const dispatcher = new Agent({ connect: { ca: fs.readFileSync(path.join(dir, 'cert.pem')) } });
    try {
      const res = await postSoap(options(url, { dispatcher }));
      expect(res.status).toBe(200);
      expect(await readAll(res.body)).toContain('AdhocQueryResponse');
    } finally {
      await dispatcher.close();
    }
  });
});
