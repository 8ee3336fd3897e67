/**
 * Helpers for the ITI-39 tests: answers written by hand (SOAP bodies, MTOM packages with binary parts) and a
 * look at what a responding gateway received from us.
 */
import crypto from 'node:crypto';
import type http from 'node:http';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseMediaType, readMtom } from '../../../../src/xca/mtom';
import type { Community } from '../../../../src/xca/model';
import type { Iti39Request } from '../../../../src/xca/iti39';
import { buildBody, type PartSpec } from '../mtom/mtom-kit';

export const SOAP = 'http://www.w3.org/2003/05/soap-envelope';
export const XDSB = 'urn:ihe:iti:xds-b:2007';
export const RS = 'urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0';
export const SUCCESS = 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success';
export const FAILURE = 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure';
export const PARTIAL = 'urn:ihe:iti:2007:ResponseStatusType:PartialSuccess';
export const ERROR_SEVERITY = 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error';
export const BOUNDARY = 'MIMEBoundary_urn_uuid_8A1F0C2B3D4E5F60718293A4B5C6D7E8';

export const REQUEST: Iti39Request = {
  homeCommunityId: 'urn:oid:1.2.826.0.1.999.1',
  repositoryUniqueId: '1.2.826.0.1.999.1.20',
  documentUniqueId: '1.2.826.0.1.999.1.30.4711',
};

export function community(url: string | undefined, timeoutMs = 3000): Community {
  return { homeCommunityId: REQUEST.homeCommunityId, name: 'Community A', iti38Url: 'http://127.0.0.1:9/unused', ...(url ? { iti39Url: url } : {}), timeoutMs, key: 'a' };
}

/** One DocumentResponse of a handwritten answer. */
export interface DocSpec {
  readonly home?: string;
  readonly repository?: string;
  readonly document?: string;
  /** undefined: no mimeType element. */
  readonly mimeType?: string;
  /** Content-ID of the attachment (MTOM), written as xop:Include href="cid:...". */
  readonly cid?: string;
  /** Inline base64 text. */
  readonly base64?: string;
}

export const PDF_DOC: DocSpec = { home: REQUEST.homeCommunityId, repository: REQUEST.repositoryUniqueId, document: REQUEST.documentUniqueId, mimeType: 'application/pdf' };

function documentResponse(doc: DocSpec): string {
  const field = (name: string, value: string | undefined): string => (value === undefined ? '' : `<x:${name}>${value}</x:${name}>`);
  const content = doc.cid !== undefined ? `<xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:${doc.cid}"/>` : (doc.base64 ?? '');
  return `<x:DocumentResponse>${field('HomeCommunityId', doc.home)}${field('RepositoryUniqueId', doc.repository)}${field('DocumentUniqueId', doc.document)}${field('mimeType', doc.mimeType)}<x:Document>${content}</x:Document></x:DocumentResponse>`;
}

/** A RegistryError element. */
export function registryError(code: string, context = 'Document not found', severity = ERROR_SEVERITY): string {
  return `<rs:RegistryError errorCode="${code}" codeContext="${context}" severity="${severity}" location="${REQUEST.homeCommunityId}"/>`;
}

/** A whole SOAP 1.2 RetrieveDocumentSetResponse message. */
export function retrieveXml(docs: readonly DocSpec[], options: { status?: string; errors?: readonly string[] } = {}): string {
  const errors = options.errors?.length ? `<rs:RegistryErrorList>${options.errors.join('')}</rs:RegistryErrorList>` : '';
  return (
    `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="${SOAP}" xmlns:a="http://www.w3.org/2005/08/addressing">` +
    `<s:Header><a:Action s:mustUnderstand="1">urn:ihe:iti:2007:CrossGatewayRetrieveResponse</a:Action></s:Header>` +
    `<s:Body><x:RetrieveDocumentSetResponse xmlns:x="${XDSB}" xmlns:rs="${RS}"><rs:RegistryResponse status="${options.status ?? SUCCESS}">${errors}</rs:RegistryResponse>` +
    `${docs.map(documentResponse).join('')}</x:RetrieveDocumentSetResponse></s:Body></s:Envelope>`
  );
}

/** A SOAP 1.2 Fault message. */
export function faultXml(code = 'Sender', reason = 'Unexpected element RetrieveDocumentSetRequest'): string {
  return `<s:Envelope xmlns:s="${SOAP}"><s:Body><s:Fault><s:Code><s:Value>s:${code}</s:Value></s:Code><s:Reason><s:Text xml:lang="en">${reason}</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>`;
}

/** The root part of a handwritten MTOM answer. */
export function rootPart(xml: string, cid = 'root.message@gateway.example'): PartSpec {
  return { headers: [`Content-ID: <${cid}>`, 'Content-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"', 'Content-Transfer-Encoding: binary'], body: xml };
}

/** A binary attachment part. */
export function binaryPart(cid: string, body: Buffer, type = 'application/octet-stream'): PartSpec {
  return { headers: [`Content-ID: <${cid}>`, `Content-Type: ${type}`, 'Content-Transfer-Encoding: binary'], body };
}

/** The HTTP Content-Type of an MTOM answer. */
export function mtomContentType(boundary = BOUNDARY, start = 'root.message@gateway.example'): string {
  return `multipart/related; boundary="${boundary}"; type="application/xop+xml"; start="<${start}>"; start-info="application/soap+xml"`;
}

/** An MTOM answer package. */
export function mtomAnswer(parts: readonly PartSpec[], eol = '\r\n'): Buffer {
  return buildBody({ boundary: BOUNDARY, parts, eol });
}

/** A PDF-like payload full of what a multipart reader could trip on: CRLFs, `--`, boundary look-alikes. */
export function pdfLike(size = 256 * 1024): Buffer {
  const body = crypto.randomBytes(size);
  Buffer.from('%PDF-1.7\r\n%\xe2\xe3\xcf\xd3\r\n', 'latin1').copy(body, 0);
  const traps = ['\r\n--', `\r\n--${BOUNDARY.slice(0, -2)}`, `\n--${BOUNDARY}X`, '--\r\n', `--${BOUNDARY}-`, '\r\n\r\n'];
  traps.forEach((trap, i) => Buffer.from(trap, 'latin1').copy(body, 2000 + i * Math.floor((size - 4000) / traps.length)));
  Buffer.from('\r\n%%EOF\r\n', 'latin1').copy(body, size - 9);
  return body;
}

export const sha256 = (data: Buffer): string => crypto.createHash('sha256').update(data).digest('hex');

/** Read a stream to its end (rejects with the stream's error). */
export async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline(
    stream,
    new Writable({
      write(chunk: Buffer, _enc, callback): void {
        chunks.push(chunk);
        callback();
      },
    }),
  );
  return Buffer.concat(chunks);
}

/** Answer with bytes and a Content-Type. */
export function send(res: http.ServerResponse, body: Buffer | string, contentType: string, status = 200): void {
  res.writeHead(status, { 'content-type': contentType });
  res.end(body);
}

/** What a responding gateway sees of our request: its Content-Type parameters and the root part's XML. */
export async function readOurRequest(contentType: string | undefined, body: string): Promise<{ params: Readonly<Record<string, string>>; type: string; rootType?: string; xml: string }> {
  const media = parseMediaType(contentType);
  const message = await readMtom(Readable.from([Buffer.from(body, 'utf8')]), contentType);
  await message.drain();
  return { type: media.type, params: media.params, ...(message.root.contentType ? { rootType: message.root.contentType } : {}), xml: message.root.xml };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}
