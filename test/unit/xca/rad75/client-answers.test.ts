import { XcaError } from '../../../../src/xca/errors';
import { isIti39RegistryError } from '../../../../src/xca/iti39';
import { crossGatewayRetrieveImaging, Rad75RegistryError } from '../../../../src/xca/rad75';
import { startPeer, type Peer } from '../support/http-peer';
import {
  collect, community, dicomLike, FAILURE, imagingPackage, imagingXml, mtomContentType, PARTIAL, registryError, rejectionOf, send, sha256, STUDY_REQUEST, STUDY_UIDS,
} from './kit';

const files = STUDY_UIDS.map((uid) => [uid, dicomLike(256 * 1024)] as const);
const whole = imagingPackage(imagingXml(STUDY_UIDS.map((uid) => ({ uid }))), files);

/** Answers with RegistryErrors, SOAP faults, HTTP errors. */
describe('crossGatewayRetrieveImaging (what the responder says went wrong)', () => {
  let peer: Peer | undefined;
  afterEach(async () => {
    await peer?.close();
    peer = undefined;
  });

  it('PartialSuccess: the instances received, the RegistryError and what is missing', async () => {
    const unknown = STUDY_UIDS[4]!;
    const sent = files.filter(([uid]) => uid !== unknown);
    const xml = imagingXml(sent.map(([uid]) => ({ uid })), { status: PARTIAL, errors: [registryError('XDSDocumentUniqueIdError', `No document matching ${unknown}`)] });
    peer = await startPeer((_req, res) => send(res, imagingPackage(xml, sent), mtomContentType()));
    const retrieval = await crossGatewayRetrieveImaging(community(peer.url), STUDY_REQUEST);
    expect(retrieval.status).toBe('PartialSuccess');
    expect(retrieval.registryErrors.map((e) => e.errorCode)).toEqual(['XDSDocumentUniqueIdError']);
    expect(retrieval.missingSopInstanceUids).toEqual([unknown]);
    const received: Array<[string, string]> = [];
    for await (const instance of retrieval.instances) received.push([instance.documentUniqueId, sha256(await collect(instance.body))]);
    expect(received).toEqual(sent.map(([uid, bytes]) => [uid, sha256(bytes)]));
  });

  it('Failure without instances (transfer syntax not supported): a Rad75RegistryError with its code', async () => {
    const error = registryError('XDSRepositoryError', 'IDS cannot encode the pixel data using any of the requested transfer syntaxes');
    peer = await startPeer((_req, res) => send(res, imagingPackage(imagingXml([], { status: FAILURE, errors: [error] }), []), mtomContentType()));
    const err = await rejectionOf(crossGatewayRetrieveImaging(community(peer.url), STUDY_REQUEST));
    expect(err).toBeInstanceOf(Rad75RegistryError);
    expect(isIti39RegistryError(err)).toBe(true);
    expect(err).toMatchObject({ status: 'Failure', primaryCode: 'XDSRepositoryError', message: expect.stringMatching(/no instance but RegistryError\(s\): XDSRepositoryError/) });
    expect((err as Rad75RegistryError).errors[0]).toMatchObject({ codeContext: expect.stringMatching(/transfer syntaxes/), location: community(undefined).homeCommunityId });
  });

  it('a SOAP Fault is an XcaError soap-fault', async () => {
    const fault = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value></s:Code><s:Reason><s:Text xml:lang="en">Unknown action</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>`;
    peer = await startPeer((_req, res) => send(res, fault, 'application/soap+xml', 500));
    const err = await rejectionOf(crossGatewayRetrieveImaging(community(peer.url), STUDY_REQUEST));
    expect(err).toMatchObject({ kind: 'soap-fault', faultCode: 'Sender', httpStatus: 500 });
  });

  it('an HTTP error without a fault is an XcaError http-status', async () => {
    peer = await startPeer((_req, res) => send(res, 'busy', 'text/plain', 503));
    expect(await rejectionOf(crossGatewayRetrieveImaging(community(peer.url), STUDY_REQUEST))).toMatchObject({ kind: 'http-status', httpStatus: 503 });
  });

  it('a community without a RAD-75 endpoint is a clear XcaError, nothing sent', async () => {
    const err = await rejectionOf(crossGatewayRetrieveImaging(community(undefined), STUDY_REQUEST));
    expect(err).toBeInstanceOf(XcaError);
    expect(err).toMatchObject({ kind: 'network', message: expect.stringMatching(/has no RAD-75 .* endpoint configured/) });
  });

  it('times out (community.timeoutMs) when the root part never completes', async () => {
    peer = await startPeer((_req, res) => {
      res.writeHead(200, { 'content-type': mtomContentType() });
      res.write(whole.subarray(0, 300));
    });
    const started = Date.now();
    expect(await rejectionOf(crossGatewayRetrieveImaging(community(peer.url, 300), STUDY_REQUEST))).toMatchObject({ kind: 'timeout', message: expect.stringMatching(/within 300 ms/) });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('an instance without mimeType is refused before anything streams', async () => {
    const xml = imagingXml(STUDY_UIDS.map((uid, i) => (i === 2 ? { uid, mimeType: undefined } : { uid })));
    peer = await startPeer((_req, res) => send(res, imagingPackage(xml, files), mtomContentType()));
    expect(await rejectionOf(crossGatewayRetrieveImaging(community(peer.url), STUDY_REQUEST))).toMatchObject({ kind: 'unparseable', message: expect.stringMatching(/RAD-75 response has a DocumentResponse without mimeType/) });
  });
});
