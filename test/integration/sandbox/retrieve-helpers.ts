import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { request } from 'undici';
import { buildCrossGatewayRetrieve, encodeMtomRequest, type MtomRequest } from '../../../src/xca/iti39';
import { isMultipart, readMtom, type MtomMessage } from '../../../src/xca/mtom';
import { parseXml } from '../../../src/sandbox/xml/parse';
import { attr, type XmlElement } from '../../../src/sandbox/xml/tree';
import { descendants, NS } from './helpers';

/**
 * Test helpers for ITI-39 / RAD-75 against the sandbox over real HTTP: requests built with the facade's own ITI-39
 * builder and MTOM packager where they fit (one document), by hand where a test needs more (several documents,
 * RAD-75, deliberate mistakes), and answers read with the project's MTOM reader.
 */
export const ITI39_ACTION = 'urn:ihe:iti:2007:CrossGatewayRetrieve';
export const RAD75_ACTION = 'urn:ihe:rad:2011:CrossGatewayRetrieveImagingDocumentSet';
export const XDSB = 'urn:ihe:iti:xds-b:2007';
export const XDSI = 'urn:ihe:rad:xdsi-b:2009';
export const XOP = 'http://www.w3.org/2004/08/xop/include';
export const EXPLICIT_VR_LE = '1.2.840.10008.1.2.1';
export const REPO_A = '2.999.1.1.1';
export const REPO_B = '2.999.1.2.1';
export const PARTIAL_SUCCESS = 'urn:ihe:iti:2007:ResponseStatusType:PartialSuccess';

export interface DocRef {
  /** null: leave HomeCommunityId out. */
  readonly home: string | null;
  readonly repository: string;
  readonly document: string;
}

const MESSAGE_ID = 'urn:uuid:6e0f4c9e-3f0a-4c55-8a1e-39a000000001';

function documentRequest(d: DocRef): string {
  const home = d.home === null ? '' : `<xdsb:HomeCommunityId>${d.home}</xdsb:HomeCommunityId>`;
  return `<xdsb:DocumentRequest>${home}<xdsb:RepositoryUniqueId>${d.repository}</xdsb:RepositoryUniqueId><xdsb:DocumentUniqueId>${d.document}</xdsb:DocumentUniqueId></xdsb:DocumentRequest>`;
}

/** A SOAP 1.2 envelope with WS-Addressing headers around `body`. */
export function envelope(action: string, to: string, body: string, messageId: string | null = MESSAGE_ID): string {
  const id = messageId === null ? '' : `<wsa:MessageID>${messageId}</wsa:MessageID>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="${NS.soap}" xmlns:wsa="${NS.wsa}"><soap:Header>` +
    `<wsa:Action soap:mustUnderstand="true">${action}</wsa:Action>${id}<wsa:To>${to}</wsa:To></soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`
  );
}

/**
 * An ITI-39 request for `docs`: the facade's own builder for one document with a home, by hand otherwise.
 * `securityHeader` (a wsse:Security block, for a secured sandbox) goes into the builder's envelope.
 */
export function iti39Request(url: string, docs: readonly DocRef[], action = ITI39_ACTION, securityHeader?: string): MtomRequest {
  const [only] = docs;
  if (docs.length === 1 && only !== undefined && only.home !== null && action === ITI39_ACTION) {
    const addressing = { to: url, messageId: MESSAGE_ID, ...(securityHeader === undefined ? {} : { securityHeader }) };
    const xml = buildCrossGatewayRetrieve({ homeCommunityId: only.home, repositoryUniqueId: only.repository, documentUniqueId: only.document }, addressing);
    return encodeMtomRequest(xml);
  }
  const body = `<xdsb:RetrieveDocumentSetRequest xmlns:xdsb="${XDSB}">${docs.map(documentRequest).join('')}</xdsb:RetrieveDocumentSetRequest>`;
  return encodeMtomRequest(envelope(action, url, body), { action });
}

export interface SeriesRef {
  readonly series: string;
  readonly docs: readonly DocRef[];
}

/** A RAD-75 request: studies › series › DocumentRequests, then the accepted transfer syntaxes. */
export function rad75Request(url: string, studies: ReadonlyArray<{ study: string; series: readonly SeriesRef[] }>, transferSyntaxes: readonly string[] = [EXPLICIT_VR_LE]): MtomRequest {
  const study = studies
    .map((s) => `<xdsi:StudyRequest studyInstanceUID="${s.study}">${s.series.map((r) => `<xdsi:SeriesRequest seriesInstanceUID="${r.series}">${r.docs.map(documentRequest).join('')}</xdsi:SeriesRequest>`).join('')}</xdsi:StudyRequest>`)
    .join('');
  const list = `<xdsi:TransferSyntaxUIDList>${transferSyntaxes.map((t) => `<xdsi:TransferSyntaxUID>${t}</xdsi:TransferSyntaxUID>`).join('')}</xdsi:TransferSyntaxUIDList>`;
  const body = `<xdsi:RetrieveImagingDocumentSetRequest xmlns:xdsi="${XDSI}" xmlns:xdsb="${XDSB}">${study}${list}</xdsi:RetrieveImagingDocumentSetRequest>`;
  return encodeMtomRequest(envelope(RAD75_ACTION, url, body), { action: RAD75_ACTION });
}

export interface ReceivedDocument {
  readonly home: string | undefined;
  readonly repository: string | undefined;
  readonly document: string | undefined;
  readonly mimeType: string | undefined;
  readonly href: string | undefined;
  /** Bytes of the attachment the xop:Include names (read in full: only for small documents). */
  readonly bytes: Buffer;
}

export interface RetrieveAnswer {
  readonly httpStatus: number;
  readonly contentType: string;
  readonly rootXml: string;
  readonly root: XmlElement;
  readonly status: string | undefined;
  readonly errors: Array<{ errorCode?: string; codeContext?: string; location?: string; severity?: string }>;
  readonly documents: ReceivedDocument[];
  /** Content-Type headers of the parts, root first. */
  readonly partTypes: Array<string | undefined>;
}

const text = (el: XmlElement, local: string): string | undefined => el.children.find((c) => c.ns === XDSB && c.local === local)?.text.trim();

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The XML of an answer (the MTOM root part or the plain SOAP body) and its documents. */
async function readAnswer(status: number, contentType: string, body: Readable): Promise<RetrieveAnswer> {
  let message: MtomMessage | undefined;
  let rootXml: string;
  if (isMultipart(contentType)) {
    message = await readMtom(body, contentType);
    rootXml = message.root.xml;
  } else {
    rootXml = (await readAll(body)).toString('utf8');
  }
  const root = parseXml(rootXml);
  const documents: ReceivedDocument[] = [];
  for (const dr of descendants(root, XDSB, 'DocumentResponse')) {
    const href = descendants(dr, XOP, 'Include')[0];
    const ref = href === undefined ? undefined : attr(href, 'href');
    const bytes = message !== undefined && ref !== undefined ? await readAll(message.attachment(ref)) : Buffer.alloc(0);
    documents.push({ home: text(dr, 'HomeCommunityId'), repository: text(dr, 'RepositoryUniqueId'), document: text(dr, 'DocumentUniqueId'), mimeType: text(dr, 'mimeType'), href: ref, bytes });
  }
  await message?.drain();
  const registry = descendants(root, NS.rs, 'RegistryResponse')[0];
  return {
    httpStatus: status,
    contentType,
    rootXml,
    root,
    status: registry === undefined ? undefined : attr(registry, 'status'),
    errors: descendants(root, NS.rs, 'RegistryError').map((e) => ({ errorCode: attr(e, 'errorCode'), codeContext: attr(e, 'codeContext'), location: attr(e, 'location'), severity: attr(e, 'severity') })),
    documents,
    partTypes: message === undefined ? [] : message.contentIds().map((id) => message?.partInfo(id)?.contentType),
  };
}

/** POST a packaged request and read the whole answer. */
export async function retrieve(url: string, req: { contentType: string; body: Buffer | string }): Promise<RetrieveAnswer> {
  const res = await request(url, { method: 'POST', headers: { 'content-type': req.contentType }, body: req.body });
  const contentType = String(res.headers['content-type'] ?? '');
  return readAnswer(res.statusCode, contentType, res.body);
}

/** POST an ITI-39 request for one document and hash its attachment as it streams (for the large document). */
export async function streamOneDocument(url: string, req: MtomRequest): Promise<{ size: number; sha1: string; mimeType: string | undefined }> {
  const res = await request(url, { method: 'POST', headers: { 'content-type': req.contentType }, body: req.body });
  const message = await readMtom(res.body, String(res.headers['content-type']));
  const root = parseXml(message.root.xml);
  const [dr] = descendants(root, XDSB, 'DocumentResponse');
  const include = dr === undefined ? undefined : descendants(dr, XOP, 'Include')[0];
  if (dr === undefined || include === undefined) throw new Error(`no document in the answer: ${message.root.xml}`);
  const hash = createHash('sha1');
  let size = 0;
  for await (const chunk of message.attachment(attr(include, 'href') ?? '')) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  await message.drain();
  return { size, sha1: hash.digest('hex'), mimeType: text(dr, 'mimeType') };
}

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
export const sha1 = (b: Buffer): string => createHash('sha1').update(b).digest('hex');
