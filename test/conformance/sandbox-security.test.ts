import { xmllint } from './public-fixtures';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { issueCertificate } from '../../src/security/pki/demo-pki';
import { makeTempSandboxPki, sandboxClient, type SandboxClient, type TempSandboxPki } from '../support/sandbox-client';
import { HOME_A, findSlots, iti38Request, soapContentType } from '../integration/sandbox/helpers';
import { iti39Request, REPO_A } from '../integration/sandbox/retrieve-helpers';

/**
 * The answers of a secured sandbox validate against the shared soap-envelope-ihe.xsd (xmllint): the WS-Security
 * faults (SOAP 1.2 env:Fault whose Subcode is a WS-Security 1.0 section 12 QName, its prefix declared where it is
 * used) for ITI-38 and ITI-39, and an ITI-38 answer to a request that passed the check.
 */
const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';

let temp: TempSandboxPki;
let sandbox: Sandbox;
let client: SandboxClient;
beforeAll(async () => {
  temp = await makeTempSandboxPki();
  sandbox = await startSandbox({ security: { pki: temp.pki }, largeDocumentBytes: 64 * 1024 });
  client = sandboxClient(temp.pki);
});
afterAll(async () => {
  await client.close();
  await sandbox.close();
  temp.remove();
});

const iti38 = (extraHeader?: string) => client.post(sandbox.gateways[0].iti38Url, iti38Request({ slots: findSlots('9000000009'), ...(extraHeader ? { extraHeader } : {}) }), soapContentType());
async function iti39(securityHeader?: string) {
  const url = sandbox.gateways[0].iti39Url;
  const mtom = iti39Request(url, [{ home: HOME_A, repository: REPO_A, document: '2.999.1.1.1.3' }], undefined, securityHeader);
  return client.post(url, mtom.body, mtom.contentType);
}
async function untrustedHeader(): Promise<string> {
  const stranger = await issueCertificate({ commonName: 'stranger.example' });
  return client.securityHeader({ signer: { certPem: stranger.certPem, keyPem: stranger.keyPem } });
}

const cases: Array<[string, () => Promise<{ status: number; text: string }>, string | undefined]> = [
  ['ITI-38 accepted: AdhocQueryResponse', () => iti38(client.securityHeader()), undefined],
  ['ITI-38 without wsse:Security: Fault wsse:InvalidSecurity', () => iti38(), 'wsse:InvalidSecurity'],
  ['ITI-38 with an untrusted signer: Fault wsse:FailedAuthentication', async () => iti38(await untrustedHeader()), 'wsse:FailedAuthentication'],
  ['ITI-39 (MTOM) without wsse:Security: Fault wsse:InvalidSecurity', () => iti39(), 'wsse:InvalidSecurity'],
  ['ITI-39 (MTOM) with an untrusted signer: Fault wsse:FailedAuthentication', async () => iti39(await untrustedHeader()), 'wsse:FailedAuthentication'],
];

describe('secured sandbox answers validate against soap-envelope-ihe.xsd', () => {
  it.each(cases)('%s', async (_name, get, subcode) => {
    const answer = await get();
    if (subcode !== undefined) {
      expect(answer.status).toBe(400);
      expect(answer.text).toContain(`<env:Subcode xmlns:wsse="${WSSE}"><env:Value>${subcode}</env:Value></env:Subcode>`);
    } else {
      expect(answer.status).toBe(200);
    }
    const result = xmllint({ text: answer.text });
    expect(result.stderr).not.toMatch(/validity error|parser error/);
    expect(result.code).toBe(0);
  });
});
