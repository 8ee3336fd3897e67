import fs from 'node:fs';
import { fromRoot } from '../../../src/config/paths';
import { loadSandboxSeed, startSandbox, type Sandbox } from '../../../src/sandbox';
import { XcaError } from '../../../src/xca/errors';
import { crossGatewayRetrieve } from '../../../src/xca/iti39';
import type { Community } from '../../../src/xca/model';
import { crossGatewayRetrieveImaging } from '../../../src/xca/rad75';
import type { Rad75Request } from '../../../src/xca/rad75';
import { makeTempSandboxPki, sandboxClient, type SandboxClient, type TempSandboxPki } from '../../support/sandbox-client';
import { HOME_A, HOME_B } from './helpers';
import { EXPLICIT_VR_LE, REPO_A, REPO_B, sha1, sha256 } from './retrieve-helpers';

/**
 * ITI-39 and RAD-75 demand the same as ITI-38 on a secured sandbox: mutual TLS and a verified XUA assertion, here
 * inside an MTOM package (the assertion is checked in the root part). The facade's own clients are the callers.
 */
let temp: TempSandboxPki;
let sandbox: Sandbox;
let client: SandboxClient;
let communityA: Community;
let communityB: Community;

beforeAll(async () => {
  temp = await makeTempSandboxPki();
  sandbox = await startSandbox({ security: { pki: temp.pki }, largeDocumentBytes: 64 * 1024 });
  client = sandboxClient(temp.pki);
  communityA = { ...sandbox.communities[0]!, key: 'a' };
  communityB = { ...sandbox.communities[1]!, key: 'b' };
});
afterAll(async () => {
  await client.close();
  await sandbox.close();
  temp.remove();
});
beforeEach(() => {
  for (const g of sandbox.gateways) g.resetStats();
});

async function bytesOf(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const REPORT = loadSandboxSeed('community-a').patients.find((p) => p.nhsNumber === '9000000009')!.documents[2]!;
const ITI39_REQUEST = { homeCommunityId: HOME_A, repositoryUniqueId: REPO_A, documentUniqueId: REPORT.uniqueId };

interface IndexEntry { readonly sopInstanceUid: string; readonly seriesUid: string; readonly studyUid: string; readonly sha256: string }
const [CT] = (JSON.parse(fs.readFileSync(fromRoot('src', 'sandbox', 'seed', 'dicom', 'index.json'), 'utf8')) as { files: IndexEntry[] }).files;
const RAD75_REQUEST: Rad75Request = {
  homeCommunityId: HOME_B,
  studyInstanceUid: CT!.studyUid,
  series: [{ seriesInstanceUid: CT!.seriesUid, instances: [{ sopInstanceUid: CT!.sopInstanceUid, repositoryUniqueId: REPO_B }] }],
  transferSyntaxUids: [EXPLICIT_VR_LE],
};

describe('ITI-39 on a secured sandbox', () => {
  it('serves the document to a client with the facade leaf and a fresh signed header', async () => {
    const doc = await crossGatewayRetrieve(communityA, ITI39_REQUEST, { dispatcher: client.dispatcher, securityHeader: () => client.securityHeader() });
    expect(doc.mimeType).toBe('application/pdf');
    expect(sha1(await bytesOf(doc.body))).toBe(REPORT.hash);
    expect(sandbox.gateways[0].stats()).toMatchObject({ iti39: 1, iti39Documents: 1, securityAccepted: 1, securityRefusals: 0 });
  });

  it('refuses a request without wsse:Security: env:Sender / wsse:InvalidSecurity, no document served', async () => {
    const err = await crossGatewayRetrieve(communityA, ITI39_REQUEST, { dispatcher: client.dispatcher }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XcaError);
    expect(err).toMatchObject({ kind: 'soap-fault', faultCode: 'Sender', faultSubcode: 'InvalidSecurity', httpStatus: 400 });
    expect(sandbox.gateways[0].stats()).toMatchObject({ iti39: 1, iti39Documents: 0, securityRefusals: 1, soapFaults: 1 });
  });
});

describe('RAD-75 on a secured sandbox', () => {
  it('serves the DICOM instance to a client with the facade leaf and a fresh signed header', async () => {
    const retrieval = await crossGatewayRetrieveImaging(communityB, RAD75_REQUEST, { dispatcher: client.dispatcher, securityHeader: () => client.securityHeader() });
    const hashes: string[] = [];
    for await (const instance of retrieval.instances) hashes.push(sha256(await bytesOf(instance.body)));
    expect(hashes).toEqual([CT!.sha256]);
    expect(sandbox.gateways[1].stats()).toMatchObject({ rad75: 1, rad75Documents: 1, securityAccepted: 1 });
  });

  it('refuses an expired assertion: env:Sender / wsse:FailedAuthentication, no instance served', async () => {
    const expired = (): string => client.securityHeader({ now: new Date(Date.now() - 600_000), timestampSeconds: 3600, assertionSeconds: 60 });
    const err = await crossGatewayRetrieveImaging(communityB, RAD75_REQUEST, { dispatcher: client.dispatcher, securityHeader: expired }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XcaError);
    expect(err).toMatchObject({ kind: 'soap-fault', faultCode: 'Sender', faultSubcode: 'FailedAuthentication' });
    expect((err as XcaError).message).toMatch(/assertion has expired/);
    expect(sandbox.gateways[1].stats()).toMatchObject({ rad75: 1, rad75Documents: 0, securityRefusals: 1 });
  });
});
