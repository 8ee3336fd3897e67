import { Agent, request, type Dispatcher } from 'undici';
import { startSandbox, type Sandbox, type SandboxGateway } from '../../../src/sandbox';
import { issueCertificate } from '../../../src/security/pki/demo-pki';
import { createMtlsDispatcher, MIN_TLS_VERSION } from '../../../src/security/tls/mtls-agent';
import { createTlsConnector } from '../../../src/security/tls/tls-connector';
import { tlsFailureReason } from '../../../src/security/tls/tls-errors';
import { XcaError } from '../../../src/xca/errors';
import { crossGatewayQuery } from '../../../src/xca/iti38/client';
import type { Community, StoredQuery } from '../../../src/xca/model';
import { parseXml } from '../../../src/sandbox/xml/parse';
import { makeTempSandboxPki, sandboxClient, type SandboxClient, type TempSandboxPki } from '../../support/sandbox-client';
import { FIND_DOCUMENTS, HOME_A, APPROVED, findSlots, iti38Request, soapContentType, summary } from './helpers';

/**
 * The sandbox secured as the NIR is, over real HTTPS: mutual TLS with the demo PKI (a client without a certificate
 * of the demo root never gets past the handshake) and a verified XUA assertion on every ITI-38 request (a missing,
 * untrusted, stale or tampered one is a SOAP 1.2 env:Sender fault with a WS-Security 1.0 subcode).
 */
let temp: TempSandboxPki;
let sandbox: Sandbox;
let client: SandboxClient;
let a: SandboxGateway;
let community: Community;
const agents: Dispatcher[] = [];

beforeAll(async () => {
  temp = await makeTempSandboxPki();
  sandbox = await startSandbox({ security: { pki: temp.pki }, largeDocumentBytes: 64 * 1024 });
  client = sandboxClient(temp.pki);
  a = sandbox.gateways[0];
  community = { ...sandbox.communities[0]!, key: 'a' };
});
afterAll(async () => {
  await Promise.all([...agents.map((d) => d.close()), client.close()]);
  await sandbox.close();
  temp.remove();
});
beforeEach(() => {
  for (const g of sandbox.gateways) g.resetStats();
});

const FIND_9000000009: StoredQuery = {
  queryId: FIND_DOCUMENTS,
  returnType: 'LeafClass',
  homeCommunityId: HOME_A,
  slots: [
    { name: '$XDSDocumentEntryPatientId', values: ["'9000000009^^^&2.16.840.1.113883.2.1.4.1&ISO'"] },
    { name: '$XDSDocumentEntryStatus', values: [APPROVED] },
  ],
};
const MAX = 4 * 1024 * 1024;
const MESSAGE_ID = 'urn:uuid:0b7b3c1e-1f0e-4f39-9d55-1c0d4b3f0001';

/** A hand-made FindDocuments request for 9000000009 carrying `header` (or none), over mutual TLS. */
async function postQuery(header: string | undefined) {
  const answer = await client.post(a.iti38Url, iti38Request({ slots: findSlots('9000000009'), ...(header === undefined ? {} : { extraHeader: header }) }), soapContentType());
  return { ...summary(parseXml(answer.text)), httpStatus: answer.status, text: answer.text };
}

/** The server counts a refused handshake when it sees it; the client may hear of it a moment earlier. */
async function handshakeFailures(expected: number): Promise<number> {
  for (let i = 0; i < 50 && a.stats().tlsHandshakeFailures < expected; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  return a.stats().tlsHandshakeFailures;
}

async function outcome(dispatcher: Dispatcher): Promise<{ status?: number; error?: unknown }> {
  agents.push(dispatcher);
  try {
    const res = await request(a.iti38Url, { method: 'POST', headers: { 'content-type': soapContentType() }, body: iti38Request({ slots: findSlots('9000000009') }), dispatcher });
    await res.body.text();
    return { status: res.statusCode };
  } catch (error) {
    return { error };
  }
}

describe('a secured sandbox', () => {
  it('announces https URLs on loopback and says it is secured', () => {
    for (const g of sandbox.gateways) expect([g.secured, g.iti38Url]).toEqual([true, expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+\/xca\/iti38$/)]);
    expect(sandbox.communities[1]!.rad75Url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/xca\/rad75$/);
  });

  it("answers the facade's own ITI-38 client: mutual TLS with the demo facade leaf and a fresh signed header", async () => {
    const result = await crossGatewayQuery(community, FIND_9000000009, { maxResponseBytes: MAX, dispatcher: client.dispatcher, securityHeader: () => client.securityHeader() });
    expect(result.status).toBe('Success');
    expect(result.extrinsicObjects).toHaveLength(3);
    expect(a.stats()).toMatchObject({ iti38: 1, securityAccepted: 1, securityRefusals: 0, soapFaults: 0, tlsHandshakeFailures: 0 });
  });
});

describe('mutual TLS: the handshake is refused and nothing is served', () => {
  it('without a client certificate', async () => {
    const result = await outcome(new Agent({ connect: createTlsConnector({ ca: client.rootPem, minVersion: MIN_TLS_VERSION }) }));
    expect(result.status).toBeUndefined();
    expect(tlsFailureReason(result.error)).toBe('client certificate refused');
    expect(await handshakeFailures(1)).toBe(1);
    expect(a.stats()).toMatchObject({ iti38: 0, securityAccepted: 0 });
  });

  it('with a client certificate issued by another CA', async () => {
    const otherRoot = await issueCertificate({ commonName: 'Throwaway root CA', ca: {}, keyType: 'p-256' });
    const leaf = await issueCertificate({ commonName: 'mhd-xca-facade', issuer: otherRoot, keyType: 'p-256', usages: ['clientAuth'] });
    const result = await outcome(createMtlsDispatcher({ certChainPem: leaf.certPem + otherRoot.certPem, keyPem: leaf.keyPem, caPem: client.rootPem }));
    expect(result.status).toBeUndefined();
    expect(tlsFailureReason(result.error)).toBe('client certificate refused');
    expect(await handshakeFailures(1)).toBe(1);
    expect(a.stats().iti38).toBe(0);
  });

  it('over plain HTTP', async () => {
    const result = await request(a.iti38Url.replace(/^https:/, 'http:'), { method: 'POST', body: 'x' }).then(
      (res) => ({ status: res.statusCode }),
      (error: unknown) => ({ error }),
    );
    expect(result).toEqual({ error: expect.objectContaining({ message: expect.any(String) }) });
    expect(await handshakeFailures(1)).toBe(1);
    expect(a.stats().iti38).toBe(0);
  });
});

describe('WS-Security on ITI-38: a SOAP 1.2 env:Sender fault (HTTP 400) with a WS-Security 1.0 subcode', () => {
  it('no wsse:Security header: wsse:InvalidSecurity, and the query is not even read', async () => {
    const answer = await postQuery(undefined);
    expect(answer).toMatchObject({ httpStatus: 400, faultCode: 'env:Sender', faultSubcode: 'wsse:InvalidSecurity', relatesTo: MESSAGE_ID });
    expect(answer.faultReason).toMatch(/^WS-Security: .*no wsse:Security/);
    expect(answer.text).toContain('xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"');
    expect(a.stats()).toMatchObject({ iti38: 1, securityRefusals: 1, securityAccepted: 0, soapFaults: 1, byStoredQuery: { FindDocuments: 0 } });
  });

  it('an assertion signed by a key outside the demo PKI: wsse:FailedAuthentication', async () => {
    const mallory = await issueCertificate({ commonName: 'mallory.example', usages: ['clientAuth'] });
    const answer = await postQuery(client.securityHeader({ signer: { certPem: mallory.certPem, keyPem: mallory.keyPem } }));
    expect(answer).toMatchObject({ httpStatus: 400, faultCode: 'env:Sender', faultSubcode: 'wsse:FailedAuthentication' });
    expect(answer.faultReason).toMatch(/does not chain to a trusted certificate/);
    expect(a.stats()).toMatchObject({ securityRefusals: 1, soapFaults: 1 });
  });

  it('a Timestamp built an hour ago: expired, wsse:InvalidSecurity', async () => {
    const answer = await postQuery(client.securityHeader({ now: new Date(Date.now() - 3600_000) }));
    expect(answer).toMatchObject({ httpStatus: 400, faultSubcode: 'wsse:InvalidSecurity' });
    expect(answer.faultReason).toMatch(/wsu:Timestamp has expired/);
  });

  it('an assertion past its NotOnOrAfter (the Timestamp still fresh): wsse:FailedAuthentication', async () => {
    const answer = await postQuery(client.securityHeader({ now: new Date(Date.now() - 600_000), timestampSeconds: 3600, assertionSeconds: 60 }));
    expect(answer).toMatchObject({ httpStatus: 400, faultSubcode: 'wsse:FailedAuthentication' });
    expect(answer.faultReason).toMatch(/assertion has expired/);
  });

  it('a tampered assertion (a signed attribute changed after signing): wsse:FailedAuthentication', async () => {
    const header = client.securityHeader();
    const tampered = header.replace('Dr Sam Sandbox', 'Dr Mallory');
    expect(tampered).not.toBe(header);
    const answer = await postQuery(tampered);
    expect(answer).toMatchObject({ httpStatus: 400, faultSubcode: 'wsse:FailedAuthentication' });
    expect(answer.faultReason).toMatch(/changed after signing/);
    expect(a.stats()).toMatchObject({ securityRefusals: 1, securityAccepted: 0 });
  });

  it("the facade's client without a security header sees the fault as XcaError soap-fault / InvalidSecurity", async () => {
    const err = await crossGatewayQuery(community, FIND_9000000009, { maxResponseBytes: MAX, dispatcher: client.dispatcher }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XcaError);
    expect(err).toMatchObject({ kind: 'soap-fault', faultCode: 'Sender', faultSubcode: 'InvalidSecurity' });
  });
});
