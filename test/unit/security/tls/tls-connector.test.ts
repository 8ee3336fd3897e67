import type { RequestListener } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { issueCertificate, type IssuedCertificate } from '../../../../src/security/pki/issue';
import { createTlsConnector } from '../../../../src/security/tls/tls-connector';
import { describeTlsFailure } from '../../../../src/security/tls/tls-errors';

/**
 * The connector names refusals that arrive without an alert; it must not call ordinary connection ends TLS
 * failures. (The refusals themselves are driven in test/integration/security/tls.test.ts.)
 */

let ca: IssuedCertificate;
let leaf: IssuedCertificate;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  ca = await issueCertificate({ commonName: 'connector CA', ca: {}, keyType: 'p-256' });
  leaf = await issueCertificate({ commonName: 'gw', issuer: ca, keyType: 'p-256', usages: ['serverAuth'], hosts: ['127.0.0.1'] });
});

afterAll(async () => {
  for (const close of closers) await close();
});

async function listen(handler: RequestListener, options: https.ServerOptions = {}): Promise<string> {
  const srv = https.createServer({ cert: leaf.certPem, key: leaf.keyPem, ...options }, handler);
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    srv.closeAllConnections();
    await new Promise<void>((resolve) => srv.close(() => resolve()));
  });
  return `https://127.0.0.1:${(srv.address() as AddressInfo).port}/`;
}

function agent(): Agent {
  const a = new Agent({ connect: createTlsConnector({ ca: ca.certPem }) });
  closers.push(() => a.close());
  return a;
}

const text = async (url: string, dispatcher: Agent): Promise<string> => (await request(url, { dispatcher })).body.text();

describe('createTlsConnector', () => {
  it('lets a kept-alive connection that the server closes when idle end quietly', async () => {
    const url = await listen((_req, res) => res.end('ok'), { keepAliveTimeout: 50 });
    const client = agent();
    expect(await text(url, client)).toBe('ok');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await text(url, client)).toBe('ok');
  });

  it('serves many requests over one connection and over "Connection: close" ones alike', async () => {
    const url = await listen((req, res) => {
      if (req.url === '/close') res.setHeader('connection', 'close');
      res.end(req.url);
    });
    const client = agent();
    const answers = await Promise.all(['/a', '/close', '/b', '/close', '/c'].map((p) => text(new URL(p, url).href, client)));
    expect(answers).toEqual(['/a', '/close', '/b', '/close', '/c']);
  });

  it('does not call a server that dies in mid-answer a TLS failure', async () => {
    const url = await listen((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const err = await request(url, { dispatcher: agent() }).then((res) => res.body.text()).then(() => undefined, (e: unknown) => e);
    expect(err).toBeDefined();
    expect(describeTlsFailure(err)).toBeUndefined();
  });

  it('still reports a verification failure as itself', async () => {
    const url = await listen((_req, res) => res.end('ok'));
    const stranger = await issueCertificate({ commonName: 'stranger', ca: {}, keyType: 'p-256' });
    const client = new Agent({ connect: createTlsConnector({ ca: stranger.certPem }) });
    closers.push(() => client.close());
    const err = await request(url, { dispatcher: client }).then(() => undefined, (e: unknown) => e);
    expect(describeTlsFailure(err)).toEqual({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', reason: 'server certificate not trusted' });
  });
});
