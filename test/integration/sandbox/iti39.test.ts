import fs from 'node:fs';
import { fromRoot } from '../../../src/config/paths';
import { loadSandboxSeed, startSandbox, type Sandbox } from '../../../src/sandbox';
import { parseMediaType } from '../../../src/sandbox/soap/content-type';
import { crossGatewayRetrieve, isIti39RegistryError } from '../../../src/xca/iti39';
import { HOME_A, HOME_B, descendants, NS, soapContentType, summary } from './helpers';
import { ITI39_ACTION, REPO_A, REPO_B, envelope, iti39Request, retrieve, sha1, sha256, XDSB, type DocRef } from './retrieve-helpers';

/** ITI-39 against the sandbox over real HTTP: the documents, every per-document error, and the strict SOAP/MTOM checks. */
let sandbox: Sandbox;
let urlA: string;
let urlB: string;
beforeAll(async () => {
  sandbox = await startSandbox({ largeDocumentBytes: 64 * 1024 });
  [urlA, urlB] = sandbox.gateways.map((g) => g.iti39Url) as [string, string];
});
afterAll(async () => {
  await sandbox.close();
});

const seedA = loadSandboxSeed('community-a');
const seedB = loadSandboxSeed('community-b');
const docsOf = (seed: typeof seedA, nhs: string) => seed.patients.find((p) => p.nhsNumber === nhs)?.documents ?? [];
const dicomIndex = JSON.parse(fs.readFileSync(fromRoot('src', 'sandbox', 'seed', 'dicom', 'index.json'), 'utf8')) as { files: Array<{ path: string; sha256: string }> };
/** SHA-256 of the bytes the seed holds for a document: its DICOM index entry, else its file in content/. */
function seedSha256(content: string): string {
  const entry = dicomIndex.files.find((f) => f.path === content);
  return entry?.sha256 ?? sha256(fs.readFileSync(fromRoot('src', 'sandbox', 'seed', 'content', content)));
}

describe('ITI-39: every document of 9000000009 retrieves with the seed bytes', () => {
  const cases = [
    ...docsOf(seedA, '9000000009').map((d) => [d, HOME_A, REPO_A, 0] as const),
    ...docsOf(seedB, '9000000009').map((d) => [d, HOME_B, REPO_B, 1] as const),
  ];

  it.each(cases.map((c) => [c[0].uniqueId, ...c] as const))('%s', async (_id, doc, home, repository, gateway) => {
    const url = sandbox.gateways[gateway].iti39Url;
    const answer = await retrieve(url, iti39Request(url, [{ home, repository, document: doc.uniqueId }]));
    expect(answer.httpStatus).toBe(200);
    expect(answer.status).toBe('urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success');
    expect(answer.errors).toEqual([]);
    expect(answer.documents).toHaveLength(1);
    const [got] = answer.documents;
    expect(got).toMatchObject({ home, repository, document: doc.uniqueId, mimeType: doc.mimeType });
    expect(sha256(got!.bytes)).toBe(seedSha256(doc.content));
    expect([got!.bytes.length, sha1(got!.bytes)]).toEqual([doc.size, doc.hash]);
  });

  it('answers several documents in one MTOM package, parts in request order, Deprecated ones included', async () => {
    const docs = docsOf(seedA, '9000000009');
    const answer = await retrieve(urlA, iti39Request(urlA, docs.map((d) => ({ home: HOME_A, repository: REPO_A, document: d.uniqueId }))));
    expect(answer.documents.map((d) => d.document)).toEqual(docs.map((d) => d.uniqueId));
    expect(answer.documents.map((d) => sha1(d.bytes))).toEqual(docs.map((d) => d.hash));
    expect(answer.partTypes).toEqual(['application/xop+xml; charset=UTF-8; type="application/soap+xml"', ...docs.map(() => 'application/pdf')]);
  });

  it('serves the shared content of a generated document (9000000041)', async () => {
    const doc = docsOf(seedA, '9000000041')[299]!;
    const answer = await retrieve(urlA, iti39Request(urlA, [{ home: HOME_A, repository: REPO_A, document: doc.uniqueId }]));
    expect(sha1(answer.documents[0]!.bytes)).toBe(doc.hash);
  });
});

describe('ITI-39: the answer is MTOM with the WS-Addressing of a response', () => {
  it('multipart/related; type="application/xop+xml" with start, start-info and the response action; RelatesTo the request', async () => {
    const answer = await retrieve(urlA, iti39Request(urlA, [{ home: HOME_A, repository: REPO_A, document: '2.999.1.1.1.1' }]));
    const media = parseMediaType(answer.contentType);
    expect(media?.type).toBe('multipart/related');
    expect(Object.fromEntries(media!.params)).toMatchObject({ type: 'application/xop+xml', 'start-info': 'application/soap+xml', action: 'urn:ihe:iti:2007:CrossGatewayRetrieveResponse' });
    expect(media!.params.get('start')).toMatch(/^<root\..+>$/);
    expect(summary(answer.root)).toMatchObject({ action: 'urn:ihe:iti:2007:CrossGatewayRetrieveResponse', relatesTo: 'urn:uuid:6e0f4c9e-3f0a-4c55-8a1e-39a000000001' });
    expect(descendants(answer.root, NS.wsa, 'MessageID')[0]?.text).toMatch(/^urn:uuid:/);
  });
});

describe('ITI-39: per-document errors', () => {
  const one = async (url: string, ref: DocRef) => retrieve(url, iti39Request(url, [ref]));

  it.each([
    ['9000000084: content missing', { home: HOME_A, repository: REPO_A, document: '2.999.1.1.1.84.1' }, 'XDSDocumentUniqueIdError', /content is not available/],
    ['9000000092: the Deprecated preliminary report, content missing', { home: HOME_A, repository: REPO_A, document: '2.999.1.1.1.92^1' }, 'XDSDocumentUniqueIdError', /content is not available/],
    ['unknown document', { home: HOME_A, repository: REPO_A, document: '2.999.1.1.1.999' }, 'XDSDocumentUniqueIdError', /not known/],
    ['unknown repository', { home: HOME_A, repository: '2.999.1.1.9', document: '2.999.1.1.1.1' }, 'XDSUnknownRepositoryId', /2\.999\.1\.1\.9/],
    ['urn:oid: prefix on the repository', { home: HOME_A, repository: `urn:oid:${REPO_A}`, document: '2.999.1.1.1.1' }, 'XDSUnknownRepositoryId', /urn:oid/],
    ['another community', { home: HOME_B, repository: REPO_A, document: '2.999.1.1.1.1' }, 'XDSUnknownCommunity', /not this community/],
    ['no HomeCommunityId', { home: null, repository: REPO_A, document: '2.999.1.1.1.1' }, 'XDSMissingHomeCommunityId', /no HomeCommunityId/],
  ] as const)('%s -> Failure %s, location = this community', async (_name, ref, code, context) => {
    const answer = await one(urlA, ref);
    expect(answer.httpStatus).toBe(200);
    expect(answer.status).toBe('urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure');
    expect(answer.documents).toEqual([]);
    expect(answer.errors).toEqual([{ errorCode: code, codeContext: expect.stringMatching(context), location: HOME_A, severity: 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error' }]);
  });

  it('PartialSuccess: the documents it has, and one RegistryError per document it has not', async () => {
    const refs = [
      { home: HOME_A, repository: REPO_A, document: '2.999.1.1.1.2' },
      { home: HOME_A, repository: REPO_A, document: '2.999.1.1.1.84.1' },
      { home: HOME_A, repository: '2.999.9', document: '2.999.1.1.1.3' },
    ];
    const answer = await retrieve(urlA, iti39Request(urlA, refs));
    expect(answer.status).toBe('urn:ihe:iti:2007:ResponseStatusType:PartialSuccess');
    expect(answer.documents.map((d) => d.document)).toEqual(['2.999.1.1.1.2']);
    expect(answer.errors.map((e) => e.errorCode)).toEqual(['XDSDocumentUniqueIdError', 'XDSUnknownRepositoryId']);
  });

  it("the facade's own client reads the sandbox: a document streams, 9000000084 is an Iti39RegistryError", async () => {
    const community = { ...sandbox.communities[0]!, key: 'a' };
    const doc = await crossGatewayRetrieve(community, { homeCommunityId: HOME_A, repositoryUniqueId: REPO_A, documentUniqueId: '2.999.1.1.1.3' });
    const chunks: Buffer[] = [];
    for await (const chunk of doc.body) chunks.push(chunk as Buffer);
    expect(doc.mimeType).toBe('application/pdf');
    expect(sha1(Buffer.concat(chunks))).toBe(docsOf(seedA, '9000000009')[2]!.hash);
    const failed = await crossGatewayRetrieve(community, { homeCommunityId: HOME_A, repositoryUniqueId: REPO_A, documentUniqueId: '2.999.1.1.1.84.1' }).catch((err: unknown) => err);
    expect(isIti39RegistryError(failed) && failed.primaryCode).toBe('XDSDocumentUniqueIdError');
  });
});

describe('ITI-39: strict SOAP and MTOM', () => {
  const good = (): string => `<xdsb:RetrieveDocumentSetRequest xmlns:xdsb="${XDSB}"><xdsb:DocumentRequest><xdsb:HomeCommunityId>${HOME_A}</xdsb:HomeCommunityId><xdsb:RepositoryUniqueId>${REPO_A}</xdsb:RepositoryUniqueId><xdsb:DocumentUniqueId>2.999.1.1.1.1</xdsb:DocumentUniqueId></xdsb:DocumentRequest></xdsb:RetrieveDocumentSetRequest>`;
  /** A hand-made MTOM package around `xml`, so the envelope can be broken on purpose. */
  const mtomOf = (xml: string, action = ITI39_ACTION) => ({
    contentType: `multipart/related; type="application/xop+xml"; boundary="b1"; start="<r@x>"; start-info="application/soap+xml"; action="${action}"`,
    body: `--b1\r\nContent-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"\r\nContent-ID: <r@x>\r\n\r\n${xml}\r\n--b1--\r\n`,
  });

  it.each([
    ['plain SOAP 1.2 (not MTOM)', { contentType: soapContentType(ITI39_ACTION), body: envelope(ITI39_ACTION, urlA, good()) }, 415, undefined, /MTOM/],
    ['multipart without type=application/xop+xml', { contentType: 'multipart/related; boundary="b1"', body: '--b1\r\n\r\nx\r\n--b1--\r\n' }, 415, undefined, /xop\+xml/],
    ['root part that is not XOP', { contentType: 'multipart/related; type="application/xop+xml"; boundary="b1"', body: `--b1\r\nContent-Type: text/xml\r\n\r\n${envelope(ITI39_ACTION, urlA, good())}\r\n--b1--\r\n` }, 400, undefined, /root part/],
    ['truncated package (no close delimiter)', { contentType: 'multipart/related; type="application/xop+xml"; boundary="b1"', body: `--b1\r\nContent-Type: application/xop+xml; type="application/soap+xml"\r\n\r\n${envelope(ITI39_ACTION, urlA, good())}` }, 400, undefined, /MTOM/],
    ['wrong wsa:Action', mtomOf(envelope('urn:ihe:iti:2007:CrossGatewayQuery', urlA, good()), 'urn:ihe:iti:2007:CrossGatewayQuery'), 400, 'wsa:ActionNotSupported', /expected urn:ihe:iti:2007:CrossGatewayRetrieve/],
    ['Content-Type action differing from wsa:Action', mtomOf(envelope(ITI39_ACTION, urlA, good()), 'urn:x'), 400, 'wsa:InvalidAddressingHeader', /differs/],
    ['no wsa:MessageID', mtomOf(envelope(ITI39_ACTION, urlA, good(), null)), 400, 'wsa:MessageAddressingHeaderRequired', /MessageID/],
    ['an ITI-38 body', mtomOf(envelope(ITI39_ACTION, urlA, '<q:AdhocQueryRequest xmlns:q="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0"/>')), 400, undefined, /Expected \{urn:ihe:iti:xds-b:2007\}RetrieveDocumentSetRequest/],
    ['DocumentRequest elements out of order', mtomOf(envelope(ITI39_ACTION, urlA, good().replace(/(<xdsb:RepositoryUniqueId>.*<\/xdsb:RepositoryUniqueId>)(<xdsb:DocumentUniqueId>.*<\/xdsb:DocumentUniqueId>)/, '$2$1'))), 400, undefined, /in that order/],
    ['an empty RetrieveDocumentSetRequest', mtomOf(envelope(ITI39_ACTION, urlA, `<xdsb:RetrieveDocumentSetRequest xmlns:xdsb="${XDSB}"/>`)), 400, undefined, /no DocumentRequest/],
  ] as const)('%s -> SOAP fault', async (_name, req, status, subcode, reason) => {
    const answer = await retrieve(urlA, req);
    expect(answer.httpStatus).toBe(status);
    expect(answer.contentType).toMatch(/^application\/soap\+xml/);
    const s = summary(answer.root);
    expect(s.faultCode).toBe('env:Sender');
    expect(s.faultSubcode).toBe(subcode);
    expect(s.faultReason).toMatch(reason);
  });

  it('a fault relates to the request once its MessageID is known', async () => {
    const answer = await retrieve(urlA, mtomOf(envelope(ITI39_ACTION, urlA, '<x/>')));
    expect(summary(answer.root).relatesTo).toBe('urn:uuid:6e0f4c9e-3f0a-4c55-8a1e-39a000000001');
  });
});

describe('ITI-39: stats', () => {
  it('count requests, documents served and documents refused', async () => {
    const gw = sandbox.gateways[0];
    gw.resetStats();
    await retrieve(urlA, iti39Request(urlA, [{ home: HOME_A, repository: REPO_A, document: '2.999.1.1.1.1' }, { home: HOME_A, repository: REPO_A, document: '2.999.1.1.1.2' }]));
    await retrieve(urlA, iti39Request(urlA, [{ home: HOME_A, repository: REPO_A, document: '2.999.1.1.1.84.1' }]));
    await retrieve(urlA, { contentType: soapContentType(ITI39_ACTION), body: '<x/>' });
    expect(gw.stats()).toMatchObject({ iti39: 3, iti39Documents: 2, retrieveErrors: 1, soapFaults: 1, rad75: 0, rad75Documents: 0 });
  });
});
