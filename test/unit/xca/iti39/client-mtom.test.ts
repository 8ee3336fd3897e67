import { XcaError } from '../../../../src/xca/errors';
import { crossGatewayRetrieve } from '../../../../src/xca/iti39';
import { childNamed } from '../../../../src/xca/xml/subtree';
import { startPeer, type Peer } from '../support/http-peer';
import { parseTree } from '../support/tree';
import {
  binaryPart, collect, community, mtomAnswer, mtomContentType, PDF_DOC, pdfLike, readOurRequest, rejectionOf, REQUEST, retrieveXml, rootPart, send, sha256, SOAP, XDSB,
} from './kit';

/** ITI-39 over MTOM against a real HTTP responder answering handwritten packages. */
describe('crossGatewayRetrieve (MTOM answers)', () => {
  let peer: Peer | undefined;
  afterEach(async () => {
    await peer?.close();
    peer = undefined;
  });

  const pdf = pdfLike();
  const answer = (eol: string, rootFirst: boolean): Buffer => {
    const root = rootPart(retrieveXml([{ ...PDF_DOC, cid: 'doc1@gateway.example' }]));
    const doc = binaryPart('doc1@gateway.example', pdf, 'application/pdf');
    return mtomAnswer(rootFirst ? [root, doc] : [doc, root], eol);
  };

  it.each([
    ['root first, CRLF framing', '\r\n', true],
    ['root last, CRLF framing', '\r\n', false],
    ['root first, bare LF framing', '\n', true],
    ['root last, bare LF framing', '\n', false],
  ])('streams the document byte for byte (%s)', async (_name, eol, rootFirst) => {
    peer = await startPeer((_req, res) => send(res, answer(eol, rootFirst), mtomContentType()));
    const doc = await crossGatewayRetrieve(community(peer.url), REQUEST);
    expect(doc).toMatchObject({ ...REQUEST, mimeType: 'application/pdf', status: 'Success', registryErrors: [] });
    expect(doc.size).toBeUndefined();
    const bytes = await collect(doc.body);
    expect(bytes.length).toBe(pdf.length);
    expect(sha256(bytes)).toBe(sha256(pdf));
  });

  it('sends an MTOM request: multipart/related, xop type, action, root part holding the three ids', async () => {
    peer = await startPeer((_req, res) => send(res, answer('\r\n', true), mtomContentType()));
    await collect((await crossGatewayRetrieve(community(peer.url), REQUEST)).body);
    const seen = peer.seen[0];
    expect(seen?.method).toBe('POST');
    const request = await readOurRequest(seen?.headers['content-type'], seen?.body ?? '');
    expect(request.type).toBe('multipart/related');
    expect(request.params).toMatchObject({ type: 'application/xop+xml', 'start-info': 'application/soap+xml', action: 'urn:ihe:iti:2007:CrossGatewayRetrieve' });
    expect(request.params['start']).toMatch(/^<.+>$/);
    expect(request.rootType).toBe('application/xop+xml; charset=UTF-8; type="application/soap+xml"');
    const envelope = await parseTree(request.xml);
    const header = childNamed(envelope, SOAP, 'Header');
    expect(header && childNamed(header, 'http://www.w3.org/2005/08/addressing', 'Action')?.text).toBe('urn:ihe:iti:2007:CrossGatewayRetrieve');
    expect(header && childNamed(header, 'http://www.w3.org/2005/08/addressing', 'To')?.text).toBe(peer.url);
    const body = childNamed(envelope, SOAP, 'Body');
    const docRequest = body && childNamed(childNamed(body, XDSB, 'RetrieveDocumentSetRequest') ?? body, XDSB, 'DocumentRequest');
    expect(docRequest?.children.map((c) => [c.local, c.text])).toEqual([
      ['HomeCommunityId', REQUEST.homeCommunityId],
      ['RepositoryUniqueId', REQUEST.repositoryUniqueId],
      ['DocumentUniqueId', REQUEST.documentUniqueId],
    ]);
    expect(seen?.headers['accept']).toContain('multipart/related');
  });

  it('picks the DocumentResponse that matches among several, whatever the part order', async () => {
    const other = Buffer.from('a different document');
    const xml = retrieveXml([
      { ...PDF_DOC, document: '1.2.826.0.1.999.1.30.1', cid: 'other@x' },
      { ...PDF_DOC, repository: '9.9.9', cid: 'wrong-repo@x' },
      { ...PDF_DOC, home: 'urn:oid:1.2.3.elsewhere', cid: 'elsewhere@x' },
      { ...PDF_DOC, mimeType: 'application/pdf', cid: 'wanted@x' },
    ]);
    const parts = [binaryPart('other@x', other), binaryPart('wrong-repo@x', other), binaryPart('elsewhere@x', other), rootPart(xml), binaryPart('wanted@x', pdf)];
    peer = await startPeer((_req, res) => send(res, mtomAnswer(parts), mtomContentType()));
    const doc = await crossGatewayRetrieve(community(peer.url), REQUEST);
    expect(sha256(await collect(doc.body))).toBe(sha256(pdf));
    expect(doc.homeCommunityId).toBe(REQUEST.homeCommunityId);
  });

  it('tolerates urn:oid: prefixes and stray spaces on the ids, and lower-case element names', async () => {
    const xml = retrieveXml([{ ...PDF_DOC, repository: `urn:oid: ${REQUEST.repositoryUniqueId}`, cid: 'd@x' }])
      .replace(/x:HomeCommunityId/g, 'x:homeCommunityId')
      .replace(/x:mimeType/g, 'x:MimeType');
    peer = await startPeer((_req, res) => send(res, mtomAnswer([rootPart(xml), binaryPart('d@x', pdf)]), mtomContentType()));
    const doc = await crossGatewayRetrieve(community(peer.url), REQUEST);
    expect(doc.mimeType).toBe('application/pdf');
    expect(doc.homeCommunityId).toBe(REQUEST.homeCommunityId);
    expect(sha256(await collect(doc.body))).toBe(sha256(pdf));
  });

  it.each([
    ['no DocumentResponse matches', retrieveXml([{ ...PDF_DOC, document: '1.2.3.other', cid: 'd@x' }]), /None of the 1 DocumentResponse/],
    ['the match has no mimeType', retrieveXml([{ ...PDF_DOC, mimeType: undefined, cid: 'd@x' }]), /has no mimeType/],
    ['the xop:Include names no part', retrieveXml([{ ...PDF_DOC, cid: 'missing@x' }]), /No MTOM part has Content-ID/],
    ['the Document is empty', retrieveXml([PDF_DOC]), /is empty/],
  ])('refuses the answer as unparseable when %s', async (_name, xml, message) => {
    peer = await startPeer((_req, res) => send(res, mtomAnswer([rootPart(xml), binaryPart('d@x', pdf)]), mtomContentType()));
    const err = await rejectionOf(crossGatewayRetrieve(community(peer.url), REQUEST));
    expect(err).toBeInstanceOf(XcaError);
    expect(err).toMatchObject({ kind: 'unparseable', message: expect.stringMatching(message) });
  });

  it('reads an inline base64 document inside an MTOM root part', async () => {
    const xml = retrieveXml([{ ...PDF_DOC, base64: pdf.subarray(0, 3000).toString('base64').replace(/.{76}/g, '$&\n') }]);
    peer = await startPeer((_req, res) => send(res, mtomAnswer([rootPart(xml)]), mtomContentType()));
    const doc = await crossGatewayRetrieve(community(peer.url), REQUEST);
    expect(doc.size).toBe(3000);
    expect(sha256(await collect(doc.body))).toBe(sha256(pdf.subarray(0, 3000)));
  });

  it('keeps NewDocumentUniqueId of an on-demand answer and the warnings sent with the document', async () => {
    const xml = retrieveXml([{ ...PDF_DOC, cid: 'd@x' }], { status: 'urn:ihe:iti:2007:ResponseStatusType:PartialSuccess', errors: ['<rs:RegistryError errorCode="XDSRepositoryBusy" codeContext="slow" severity="urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning"/>'] })
      .replace('</x:DocumentUniqueId>', '</x:DocumentUniqueId><x:NewRepositoryUniqueId>1.2.3.9</x:NewRepositoryUniqueId><x:NewDocumentUniqueId>1.2.3.9.1</x:NewDocumentUniqueId>');
    peer = await startPeer((_req, res) => send(res, mtomAnswer([rootPart(xml), binaryPart('d@x', pdf)]), mtomContentType()));
    const doc = await crossGatewayRetrieve(community(peer.url), REQUEST);
    expect(doc).toMatchObject({ status: 'PartialSuccess', newRepositoryUniqueId: '1.2.3.9', newDocumentUniqueId: '1.2.3.9.1' });
    expect(doc.registryErrors.map((e) => e.errorCode)).toEqual(['XDSRepositoryBusy']);
    await collect(doc.body);
  });
});
