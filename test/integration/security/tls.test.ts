import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Agent, request, type Dispatcher } from 'undici';
import { ensureDemoPki, issueCertificate, loadIssued, type DemoPki, type IssuedCertificate } from '../../../src/security/pki/demo-pki';
import { createMtlsDispatcher, createMtlsServerOptions, MIN_TLS_VERSION } from '../../../src/security/tls/mtls-agent';
import { createTlsConnector } from '../../../src/security/tls/tls-connector';
import { tlsFailureReason } from '../../../src/security/tls/tls-errors';
import { postSoap } from '../../../src/xca/transport';
import { XcaError } from '../../../src/xca/errors';

/**
 * Mutual TLS end to end: a real node:https server built with createMtlsServerOptions, a client built with
 * createMtlsDispatcher, a demo PKI made at test time. Every failure must be a hard failure: the request rejects,
 * no response arrives, and the server's handler never runs.
 */

interface Peer { readonly url: string; served: number; close(): Promise<void> }

const peers: Peer[] = [];
const agents: Dispatcher[] = [];
let dir: string;
let pki: DemoPki;
let root: string;
let intermediate: IssuedCertificate;
let gatewayLeaf: IssuedCertificate;
let facadeLeaf: IssuedCertificate;
let stranger: IssuedCertificate;

const read = (file: string): string => fs.readFileSync(file, 'utf8');
const chainOf = (leaf: IssuedCertificate): string => leaf.certPem + intermediate.certPem;

async function startPeer(options: https.ServerOptions): Promise<Peer> {
  const server = https.createServer(options, (_req, res) => {
    peer.served += 1;
    res.end('served');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const peer: Peer = {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/xca/iti38`,
    served: 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  peers.push(peer);
  return peer;
}

/** A gateway serving `leaf` (signed by the demo intermediate unless it says otherwise) to clients of the demo CA. */
const gatewayWith = (certChainPem: string, keyPem: string, extra: https.ServerOptions = {}): Promise<Peer> =>
  startPeer({ ...createMtlsServerOptions({ certChainPem, keyPem, clientCaPem: root }), ...extra });

function track<T extends Dispatcher>(agent: T): T {
  agents.push(agent);
  return agent;
}

const facadeClient = (servername?: string): Agent => track(createMtlsDispatcher({
  certChainPem: read(pki.facade.chain), keyPem: read(pki.facade.key), caPem: root, ...(servername ? { servername } : {}),
}));

async function outcome(url: string, dispatcher: Dispatcher): Promise<{ body?: string; error?: unknown }> {
  try {
    const res = await request(url, { dispatcher });
    return { body: await res.body.text() };
  } catch (error) {
    return { error };
  }
}

/** The request failed hard with this reason, and the server handled nothing. */
async function expectRefused(peer: Peer, dispatcher: Dispatcher, reason: string): Promise<void> {
  const result = await outcome(peer.url, dispatcher);
  expect(result.body).toBeUndefined();
  expect(tlsFailureReason(result.error)).toBe(reason);
  expect(peer.served).toBe(0);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mtls-'));
  pki = await ensureDemoPki(dir, { gateways: ['gateway-a'] });
  root = read(pki.rootCaCert);
  intermediate = await loadIssued(read(pki.intermediateCaCert), read(path.join(dir, 'intermediate-ca.key.pem')));
  gatewayLeaf = await loadIssued(read(pki.gateways['gateway-a']!.cert), read(pki.gateways['gateway-a']!.key));
  facadeLeaf = await loadIssued(read(pki.facade.cert), read(pki.facade.key));
  // Certificates that must be refused reuse the demo key pairs or a P-256 key: key generation is the slow part.
  stranger = await issueCertificate({ commonName: 'Stranger root CA', ca: {}, keyType: 'p-256' });
});

afterAll(async () => {
  await Promise.all(agents.map((a) => a.close()));
  await Promise.all(peers.map((p) => p.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a good chain on both sides', () => {
  it('is served, the client sending leaf + intermediate', async () => {
    const peer = await gatewayWith(read(pki.gateways['gateway-a']!.chain), read(pki.gateways['gateway-a']!.key));
    expect(await outcome(peer.url, facadeClient())).toEqual({ body: 'served' });
    expect(peer.served).toBe(1);
  });
});

describe('the client refuses a bad server certificate', () => {
  it('expired', async () => {
    const expired = await issueCertificate({
      commonName: 'gateway-a', issuer: intermediate, keys: gatewayLeaf.keys, usages: ['serverAuth'], hosts: ['127.0.0.1'],
      notBefore: new Date(Date.now() - 30 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000),
    });
    await expectRefused(await gatewayWith(chainOf(expired), expired.keyPem), facadeClient(), 'server certificate expired');
  });

  it('issued by a CA outside the configured trust', async () => {
    const leaf = await issueCertificate({ commonName: 'gateway-a', issuer: stranger, keyType: 'p-256', usages: ['serverAuth'], hosts: ['127.0.0.1'] });
    await expectRefused(await gatewayWith(leaf.certPem + stranger.certPem, leaf.keyPem), facadeClient(), 'server certificate not trusted');
  });

  it('issued for another host; accepted once `servername` names that host', async () => {
    const leaf = await issueCertificate({ commonName: 'gateway-b', issuer: intermediate, keys: gatewayLeaf.keys, usages: ['serverAuth'], hosts: ['gateway-b.example'] });
    const peer = await gatewayWith(chainOf(leaf), leaf.keyPem);
    await expectRefused(peer, facadeClient(), 'server name mismatch');
    expect(await outcome(peer.url, facadeClient('gateway-b.example'))).toEqual({ body: 'served' });
  });
});

describe('the server refuses a bad client', () => {
  let peer: Peer;
  beforeEach(async () => {
    peer = await gatewayWith(read(pki.gateways['gateway-a']!.chain), read(pki.gateways['gateway-a']!.key));
  });

  it('with no certificate', async () => {
    const noCertificate = track(new Agent({ connect: createTlsConnector({ ca: root, minVersion: MIN_TLS_VERSION }) }));
    await expectRefused(peer, noCertificate, 'client certificate refused');
    // Plain undici fails just as hard (only its error says "other side closed": see tls-connector.ts).
    expect((await outcome(peer.url, track(new Agent({ connect: { ca: root } })))).error).toBeDefined();
    expect(peer.served).toBe(0);
  });

  it('with a certificate from a CA outside the server\'s trust', async () => {
    const leaf = await issueCertificate({ commonName: 'mhd-xca-facade', issuer: stranger, keyType: 'p-256', usages: ['clientAuth'] });
    const client = track(createMtlsDispatcher({ certChainPem: leaf.certPem + stranger.certPem, keyPem: leaf.keyPem, caPem: root }));
    await expectRefused(peer, client, 'client certificate refused');
  });

  it('with a certificate of the right CA that does not allow clientAuth', async () => {
    const leaf = await issueCertificate({ commonName: 'mhd-xca-facade', issuer: intermediate, keys: facadeLeaf.keys, usages: ['serverAuth'] });
    const client = track(createMtlsDispatcher({ certChainPem: chainOf(leaf), keyPem: leaf.keyPem, caPem: root }));
    await expectRefused(peer, client, 'client certificate refused');
  });

  it('with only its leaf (no intermediate sent)', async () => {
    const client = track(createMtlsDispatcher({ certChainPem: read(pki.facade.cert), keyPem: read(pki.facade.key), caPem: root }));
    await expectRefused(peer, client, 'client certificate refused');
  });

  it('under TLS 1.2, where the server drops the handshake', async () => {
    const tls12 = await gatewayWith(read(pki.gateways['gateway-a']!.chain), read(pki.gateways['gateway-a']!.key), { maxVersion: 'TLSv1.2' });
    const leaf = await issueCertificate({ commonName: 'mhd-xca-facade', issuer: stranger, keyType: 'p-256', usages: ['clientAuth'] });
    const client = track(createMtlsDispatcher({ certChainPem: leaf.certPem + stranger.certPem, keyPem: leaf.keyPem, caPem: root }));
    await expectRefused(tls12, client, 'TLS handshake interrupted by the server');
    expect(await outcome(tls12.url, facadeClient())).toEqual({ body: 'served' });
  });
});

describe('the XCA transport sees each refusal as a TLS failure', () => {
  it('classifies a refused client certificate and an untrusted server as kind "tls"', async () => {
    const peer = await gatewayWith(read(pki.gateways['gateway-a']!.chain), read(pki.gateways['gateway-a']!.key));
    const leaf = await issueCertificate({ commonName: 'mhd-xca-facade', issuer: stranger, keyType: 'p-256', usages: ['clientAuth'] });
    const refusedClient = track(createMtlsDispatcher({ certChainPem: leaf.certPem, keyPem: leaf.keyPem, caPem: root }));
    const distrustingClient = track(createMtlsDispatcher({ certChainPem: read(pki.facade.chain), keyPem: read(pki.facade.key), caPem: stranger.certPem }));
    for (const dispatcher of [refusedClient, distrustingClient]) {
      const err = await postSoap({ url: peer.url, action: 'urn:x', envelope: '<x/>', timeoutMs: 5000, maxResponseBytes: 1000, dispatcher }).then(
        () => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(XcaError);
      expect((err as XcaError).kind).toBe('tls');
    }
    expect(peer.served).toBe(0);
  });
});
