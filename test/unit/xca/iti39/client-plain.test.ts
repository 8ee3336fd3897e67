import { XcaError } from '../../../../src/xca/errors';
import { crossGatewayRetrieve, Iti39RegistryError } from '../../../../src/xca/iti39';
import { classifyXdsError } from '../../../../src/mappings/xds-errors';
import { startPeer, type Peer } from '../support/http-peer';
import {
  binaryPart, collect, community, faultXml, FAILURE, mtomAnswer, mtomContentType, PDF_DOC, pdfLike, registryError, rejectionOf, REQUEST, retrieveXml, rootPart, send, sha256,
} from './kit';

const SOAP_TYPE = 'application/soap+xml; charset=UTF-8';

/** ITI-39 answers that are not a document: plain SOAP, registry errors, faults, HTTP errors. */
describe('crossGatewayRetrieve (plain SOAP and error answers)', () => {
  let peer: Peer | undefined;
  afterEach(async () => {
    await peer?.close();
    peer = undefined;
  });

  const pdf = pdfLike(48 * 1024);

  it('decodes a document sent inline as base64 without MTOM (size known)', async () => {
    const base64 = pdf.toString('base64').replace(/.{76}/g, '$&\r\n');
    peer = await startPeer((_req, res) => send(res, retrieveXml([{ ...PDF_DOC, base64 }]), SOAP_TYPE));
    const doc = await crossGatewayRetrieve(community(peer.url), REQUEST);
    expect(doc).toMatchObject({ ...REQUEST, mimeType: 'application/pdf', size: pdf.length, status: 'Success' });
    expect(sha256(await collect(doc.body))).toBe(sha256(pdf));
  });

  it('refuses an inline document over maxInlineBytes as oversize', async () => {
    peer = await startPeer((_req, res) => send(res, retrieveXml([{ ...PDF_DOC, base64: pdf.toString('base64') }]), SOAP_TYPE));
    const err = await rejectionOf(crossGatewayRetrieve(community(peer.url), REQUEST, { maxInlineBytes: 16 * 1024 }));
    expect(err).toMatchObject({ kind: 'oversize' });
  });

  it('refuses inline text that is not base64', async () => {
    peer = await startPeer((_req, res) => send(res, retrieveXml([{ ...PDF_DOC, base64: 'Metriport Rocks!' }]), SOAP_TYPE));
    const err = await rejectionOf(crossGatewayRetrieve(community(peer.url), REQUEST));
    expect(err).toMatchObject({ kind: 'unparseable', message: expect.stringMatching(/not valid base64/) });
  });

  it('refuses an xop:Include in an answer that is not MTOM', async () => {
    peer = await startPeer((_req, res) => send(res, retrieveXml([{ ...PDF_DOC, cid: 'd@x' }]), SOAP_TYPE));
    const err = await rejectionOf(crossGatewayRetrieve(community(peer.url), REQUEST));
    expect(err).toMatchObject({ kind: 'unparseable', message: expect.stringMatching(/not an MTOM package/) });
  });

  it.each([
    ['plain SOAP', (xml: string) => [Buffer.from(xml), SOAP_TYPE] as const],
    ['MTOM', (xml: string) => [mtomAnswer([rootPart(xml)]), mtomContentType()] as const],
  ])('throws Iti39RegistryError with the codes when there is no document (%s)', async (_name, pack) => {
    const xml = retrieveXml([], { status: FAILURE, errors: [registryError('XDSDocumentUniqueIdError', `Document ${REQUEST.documentUniqueId} not found`)] });
    const [body, type] = pack(xml);
    peer = await startPeer((_req, res) => send(res, body, type));
    const err = await rejectionOf(crossGatewayRetrieve(community(peer.url), REQUEST));
    expect(err).toBeInstanceOf(Iti39RegistryError);
    const registry = err as Iti39RegistryError;
    expect(registry.status).toBe('Failure');
    expect(registry.errors).toEqual([
      { errorCode: 'XDSDocumentUniqueIdError', codeContext: `Document ${REQUEST.documentUniqueId} not found`, severity: 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error', location: REQUEST.homeCommunityId },
    ]);
    expect(registry.primaryCode).toBe('XDSDocumentUniqueIdError');
    expect(registry.message).not.toContain(REQUEST.documentUniqueId); // codeContext stays out of messages
    // The caller's mapping: not found → 404 through the xds-errors table.
    expect(classifyXdsError(registry.primaryCode ?? '').errorCode).toBe('NO_RECORD_FOUND');
  });

  it('reports a RegistryError rather than "no match" when the documents sent are not the one asked for', async () => {
    const xml = retrieveXml([{ ...PDF_DOC, document: '1.2.3.other', base64: 'QQ==' }], { status: 'urn:ihe:iti:2007:ResponseStatusType:PartialSuccess', errors: [registryError('XDSRepositoryError')] });
    peer = await startPeer((_req, res) => send(res, xml, SOAP_TYPE));
    const err = await rejectionOf(crossGatewayRetrieve(community(peer.url), REQUEST));
    expect(err).toBeInstanceOf(Iti39RegistryError);
    expect((err as Iti39RegistryError).primaryCode).toBe('XDSRepositoryError');
    expect(classifyXdsError('XDSRepositoryError').errorCode).toBe('UPSTREAM_FAILED');
  });

  it.each([
    ['HTTP 500 with a SOAP 1.2 Fault', 500, SOAP_TYPE, () => faultXml('Receiver', 'Repository unavailable')],
    ['HTTP 200 with a SOAP 1.2 Fault', 200, SOAP_TYPE, () => faultXml('Sender', 'Bad request')],
    ['HTTP 500 with an MTOM-packaged Fault', 500, mtomContentType(), () => mtomAnswer([rootPart(faultXml('Receiver', 'Repository unavailable'))])],
  ])('maps %s to soap-fault', async (_name, status, type, body) => {
    peer = await startPeer((_req, res) => send(res, body(), type, status));
    const err = await rejectionOf(crossGatewayRetrieve(community(peer.url), REQUEST));
    expect(err).toBeInstanceOf(XcaError);
    expect(err).toMatchObject({ kind: 'soap-fault', message: expect.stringMatching(/SOAP Fault \((Receiver|Sender)\)/) });
    if (status !== 200) expect((err as XcaError).httpStatus).toBe(500);
  });

  it('maps an HTTP 500 without a fault to http-status', async () => {
    peer = await startPeer((_req, res) => send(res, '<html><body>Internal error</body></html>', 'text/html', 500));
    const err = await rejectionOf(crossGatewayRetrieve(community(peer.url), REQUEST));
    expect(err).toMatchObject({ kind: 'http-status', httpStatus: 500 });
  });

  it('refuses a community without an ITI-39 endpoint before sending anything', async () => {
    const err = await rejectionOf(crossGatewayRetrieve(community(undefined), REQUEST));
    expect(err).toMatchObject({ kind: 'network', message: expect.stringMatching(/no ITI-39 .* endpoint configured/) });
  });

  it('reads an answer sent without a Content-Type by sniffing it (MTOM and plain)', async () => {
    const bodies = [mtomAnswer([rootPart(retrieveXml([{ ...PDF_DOC, cid: 'd@x' }])), binaryPart('d@x', pdf)]), Buffer.from(retrieveXml([{ ...PDF_DOC, base64: pdf.toString('base64') }]))];
    let turn = 0;
    peer = await startPeer((_req, res) => {
      res.removeHeader('content-type');
      res.end(bodies[turn++]);
    });
    for (let i = 0; i < bodies.length; i += 1) {
      const doc = await crossGatewayRetrieve(community(peer.url), REQUEST);
      expect(sha256(await collect(doc.body))).toBe(sha256(pdf));
    }
  });
});
