import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { request, type Agent } from 'undici';
import { createCommunityAgent } from '../../../src/resilience/community-agent';
import { issueCertificate, type IssuedCertificate } from '../../../src/security/pki/issue';

/** Real peers on 127.0.0.1 that count the connections the agent opens and the requests in flight. */

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

interface Peer {
  readonly url: string;
  readonly sockets: Socket[];
  readonly closedSockets: () => number;
  readonly maxInFlight: () => number;
}

async function listen(server: http.Server | https.Server, scheme: 'http' | 'https'): Promise<Peer> {
  const sockets: Socket[] = [];
  let closed = 0;
  server.on(scheme === 'http' ? 'connection' : 'secureConnection', (socket: Socket) => {
    sockets.push(socket);
    socket.on('close', () => { closed += 1; });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const port = (server.address() as AddressInfo).port;
  return { url: `${scheme}://127.0.0.1:${port}/`, sockets, closedSockets: () => closed, maxInFlight: () => inFlightMax.get(server) ?? 0 };
}

const inFlightMax = new WeakMap<http.Server, number>();

/** A server answering each request after `delayMs`, tracking the most requests in flight at once. */
function slowHandler(server: http.Server, delayMs: number): void {
  let inFlight = 0;
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight += 1;
    inFlightMax.set(server, Math.max(inFlightMax.get(server) ?? 0, inFlight));
    setTimeout(() => { inFlight -= 1; res.end('ok'); }, delayMs);
  });
}

function agent(opts: Parameters<typeof createCommunityAgent>[0]): Agent {
  const made = createCommunityAgent(opts);
  closers.push(() => made.close());
  return made;
}

async function get(url: string, dispatcher: Agent): Promise<string> {
  const res = await request(url, { dispatcher });
  return res.body.text();
}

describe('createCommunityAgent', () => {
  it('caps concurrent connections per origin: 8 parallel requests share 2 connections', async () => {
    const server = http.createServer();
    slowHandler(server, 30);
    const peer = await listen(server, 'http');
    const dispatcher = agent({ connections: 2, keepAliveTimeoutMs: 5000 });
    const answers = await Promise.all(Array.from({ length: 8 }, () => get(peer.url, dispatcher)));
    expect(answers).toEqual(Array(8).fill('ok'));
    expect(peer.sockets).toHaveLength(2);
    expect(peer.maxInFlight()).toBe(2);
  });

  it('keeps connections alive between requests, and closes them after keepAliveTimeoutMs idle', async () => {
    const server = http.createServer();
    slowHandler(server, 0);
    const peer = await listen(server, 'http');
    const dispatcher = agent({ connections: 4, keepAliveTimeoutMs: 200 });
    for (let i = 0; i < 3; i += 1) {
      expect(await get(peer.url, dispatcher)).toBe('ok');
      // undici frees the connection just after the body ends: let it, or the pool opens a second one.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(peer.sockets).toHaveLength(1);
    expect(peer.closedSockets()).toBe(0);
    const deadline = Date.now() + 3000;
    while (peer.closedSockets() === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(peer.closedSockets()).toBe(1);
  });

  describe('TLS', () => {
    let ca: IssuedCertificate;
    let serverCert: IssuedCertificate;

    beforeAll(async () => {
      ca = await issueCertificate({ commonName: 'agent unit CA', ca: {}, keyType: 'p-256' });
      serverCert = await issueCertificate({ commonName: 'gw', issuer: ca, keyType: 'p-256', usages: ['serverAuth'], hosts: ['127.0.0.1'] });
    });

    async function tlsPeer(): Promise<Peer> {
      const server = https.createServer({ cert: serverCert.certPem, key: serverCert.keyPem });
      slowHandler(server, 0);
      return listen(server, 'https');
    }

    it('passes the TLS options through: trusts the given CA, and only it', async () => {
      const peer = await tlsPeer();
      expect(await get(peer.url, agent({ connections: 1, keepAliveTimeoutMs: 1000, tls: { ca: ca.certPem } }))).toBe('ok');
      const untrusted = agent({ connections: 1, keepAliveTimeoutMs: 1000, tls: {} });
      await expect(get(peer.url, untrusted)).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    });

    it('checks the server name it is given', async () => {
      const peer = await tlsPeer();
      const wrongName = agent({ connections: 1, keepAliveTimeoutMs: 1000, tls: { ca: ca.certPem, servername: 'other.example' } });
      await expect(get(peer.url, wrongName)).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    });

    it('refuses to switch certificate verification off, or to allow TLS below 1.2', () => {
      expect(() => createCommunityAgent({ connections: 1, keepAliveTimeoutMs: 1000, tls: { ca: ca.certPem, rejectUnauthorized: false } }))
        .toThrow(/rejectUnauthorized/);
      expect(() => createCommunityAgent({ connections: 1, keepAliveTimeoutMs: 1000, tls: { minVersion: 'TLSv1.1' } })).toThrow(/TLSv1\.2/);
    });
  });

  it('refuses a cap or timeout that is not positive', () => {
    expect(() => createCommunityAgent({ connections: 0, keepAliveTimeoutMs: 1000 })).toThrow(RangeError);
    expect(() => createCommunityAgent({ connections: 1.5, keepAliveTimeoutMs: 1000 })).toThrow(RangeError);
    expect(() => createCommunityAgent({ connections: 1, keepAliveTimeoutMs: 0 })).toThrow(RangeError);
  });
});
