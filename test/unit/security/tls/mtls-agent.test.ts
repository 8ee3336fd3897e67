import https from 'node:https';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { Agent, request } from 'undici';
import { issueCertificate, type IssuedCertificate } from '../../../../src/security/pki/issue';
import { createMtlsDispatcher, createMtlsServerOptions, type MtlsClientOptions } from '../../../../src/security/tls/mtls-agent';
import { tlsFailureReason } from '../../../../src/security/tls/tls-errors';

/** The two option builders, and the guarantees they must keep: verification always on, TLS 1.2 the floor. */

let ca: IssuedCertificate;
let server: IssuedCertificate;
let client: IssuedCertificate;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  ca = await issueCertificate({ commonName: 'mTLS unit CA', ca: {}, keyType: 'p-256' });
  server = await issueCertificate({ commonName: 'gw', issuer: ca, keyType: 'p-256', usages: ['serverAuth'], hosts: ['127.0.0.1'] });
  client = await issueCertificate({ commonName: 'facade', issuer: ca, keyType: 'p-256', usages: ['clientAuth'] });
});

afterAll(async () => {
  for (const close of closers) await close();
});

async function listen(options: https.ServerOptions): Promise<string> {
  const srv = https.createServer(options, (_req, res) => res.end('served'));
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    srv.closeAllConnections();
    await new Promise<void>((resolve) => srv.close(() => resolve()));
  });
  return `https://127.0.0.1:${(srv.address() as AddressInfo).port}/`;
}

function dispatcher(opts: MtlsClientOptions): Agent {
  const agent = createMtlsDispatcher(opts);
  closers.push(() => agent.close());
  return agent;
}

async function failure(url: string, agent: Agent): Promise<unknown> {
  return request(url, { dispatcher: agent }).then(() => undefined, (err: unknown) => err);
}

describe('createMtlsServerOptions', () => {
  it('demands a client certificate from the given CA, over TLS 1.2 or later', () => {
    expect(createMtlsServerOptions({ certChainPem: server.certPem, keyPem: server.keyPem, clientCaPem: ca.certPem })).toEqual({
      cert: server.certPem, key: server.keyPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2',
    });
  });

  it('refuses a TLS 1.1 client with a protocol_version alert', async () => {
    const url = new URL(await listen(createMtlsServerOptions({ certChainPem: server.certPem, keyPem: server.keyPem, clientCaPem: ca.certPem })));
    const err = await new Promise<unknown>((resolve) => {
      const socket = tls.connect({ host: url.hostname, port: Number(url.port), ca: ca.certPem, maxVersion: 'TLSv1.1', minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' });
      socket.on('secureConnect', () => resolve(undefined));
      socket.on('error', resolve);
    });
    expect(tlsFailureReason(err)).toBe('TLS version or cipher refused');
  });
});

describe('createMtlsDispatcher', () => {
  it('fails at once on material that cannot work: not PEM, or a key of another certificate', () => {
    expect(() => createMtlsDispatcher({ certChainPem: 'nope', keyPem: client.keyPem, caPem: ca.certPem })).toThrow(/certificate chain is not PEM text/);
    expect(() => createMtlsDispatcher({ certChainPem: client.certPem, keyPem: server.keyPem, caPem: ca.certPem })).toThrow(/key values mismatch/);
  });

  it('cannot be talked out of verifying the server, even by an option smuggled past the types', async () => {
    const stranger = await issueCertificate({ commonName: 'stranger', ca: {}, keyType: 'p-256' });
    const url = await listen({ cert: server.certPem, key: server.keyPem });
    const sneaky = { certChainPem: client.certPem, keyPem: client.keyPem, caPem: stranger.certPem, rejectUnauthorized: false, ca: server.certPem };
    expect(tlsFailureReason(await failure(url, dispatcher(sneaky as MtlsClientOptions)))).toBe('server certificate not trusted');
  });

  it('trusts caPem and nothing else', async () => {
    const url = await listen({ cert: server.certPem + ca.certPem, key: server.keyPem });
    const stranger = await issueCertificate({ commonName: 'stranger', ca: {}, keyType: 'p-256' });
    expect(tlsFailureReason(await failure(url, dispatcher({ certChainPem: client.certPem, keyPem: client.keyPem, caPem: stranger.certPem }))))
      .toBe('server certificate not trusted');
    const ok = await request(url, { dispatcher: dispatcher({ certChainPem: client.certPem, keyPem: client.keyPem, caPem: ca.certPem }) });
    expect(await ok.body.text()).toBe('served');
  });

  it('refuses a server stuck on TLS 1.1', async () => {
    const url = await listen({ cert: server.certPem, key: server.keyPem, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
    const err = await failure(url, dispatcher({ certChainPem: client.certPem, keyPem: client.keyPem, caPem: ca.certPem }));
    expect(tlsFailureReason(err)).toBe('TLS version or cipher refused');
  });
});
