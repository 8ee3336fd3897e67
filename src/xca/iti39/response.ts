import type { Readable } from 'node:stream';
import { XcaError } from '../errors';
import { isMultipart, MTOM_DEFAULTS, readMtom, type MtomMessage } from '../mtom';
import { ITI39_LIMITS } from './constants';
import { drainQuietly, openAttachmentBody, type StreamBounds } from './document-stream';
import { decodeInlineDocument, inlineBody } from './inline-document';
import { parseRetrieveResponse } from './response-parser';
import { selectDocument } from './select';
import { sniffMultipart } from './sniff';
import type { Iti39DocumentResponse, Iti39Request, Iti39Response, RetrievedDocument } from './types';

/**
 * From an ITI-39 answer body to the one document asked for. MTOM (multipart/related, ITI TF-2 Appendix V) is
 * what IHE specifies; plain SOAP with the document inline as base64 is what some responders send anyway
 * (public captures), so both are read. The SOAP part is parsed and the document chosen before anything is
 * returned; only the bytes of an MTOM attachment are still to come when this resolves.
 */

/** Bounds of one answer. */
export interface RetrieveReadOptions extends StreamBounds {
  /** Largest inline (base64) document, decoded bytes. */
  readonly maxInlineBytes: number;
}

/** Longest Document text (base64, with line breaks) an inline document of `maxInlineBytes` can need. */
function maxDocumentChars(maxInlineBytes: number): number {
  return Math.ceil(maxInlineBytes * ITI39_LIMITS.base64Expansion) + 4;
}

/** Largest SOAP text (plain body, or MTOM root part) an answer with an inline document can need. */
function maxSoapBytes(maxInlineBytes: number): number {
  return maxDocumentChars(maxInlineBytes) + ITI39_LIMITS.envelopeAllowanceBytes;
}

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

/** The bytes of the chosen DocumentResponse: its attachment (MTOM) or its decoded inline base64. */
async function documentBody(chosen: Iti39DocumentResponse, message: MtomMessage | undefined, options: RetrieveReadOptions): Promise<{ body: Readable; size?: number }> {
  const { document } = chosen;
  switch (document.kind) {
    case 'xop':
      if (message === undefined) throw new XcaError('unparseable', 'The ITI-39 response refers to an MTOM attachment (xop:Include) but is not an MTOM package');
      return { body: await openAttachmentBody(message, document.href, options) };
    case 'inline': {
      const decoded = decodeInlineDocument(document.base64, options.maxInlineBytes);
      if (message !== undefined) drainQuietly(message, options.drainMs);
      return { body: inlineBody(decoded), size: decoded.size };
    }
    case 'empty':
      throw new XcaError('unparseable', 'The Document of the requested DocumentResponse is empty (neither base64 content nor an xop:Include)');
    case 'missing':
      throw new XcaError('unparseable', 'The DocumentResponse of the requested document has no Document element');
  }
}

async function toRetrieved(response: Iti39Response, request: Iti39Request, message: MtomMessage | undefined, options: RetrieveReadOptions): Promise<RetrievedDocument> {
  const chosen = selectDocument(response, request);
  const { body, size } = await documentBody(chosen, message, options);
  return {
    homeCommunityId: chosen.homeCommunityId ?? request.homeCommunityId,
    repositoryUniqueId: request.repositoryUniqueId,
    documentUniqueId: request.documentUniqueId,
    ...(chosen.newRepositoryUniqueId === undefined ? {} : { newRepositoryUniqueId: chosen.newRepositoryUniqueId }),
    ...(chosen.newDocumentUniqueId === undefined ? {} : { newDocumentUniqueId: chosen.newDocumentUniqueId }),
    mimeType: chosen.mimeType ?? '',
    ...(size === undefined ? {} : { size }),
    status: response.status,
    registryErrors: response.errors,
    body,
  };
}

async function fromMtom(body: AsyncIterable<unknown>, contentType: string | undefined, request: Iti39Request, options: RetrieveReadOptions): Promise<RetrievedDocument> {
  const maxSoap = maxSoapBytes(options.maxInlineBytes);
  const message = await readMtom(body, contentType, { maxRootBytes: Math.max(MTOM_DEFAULTS.maxRootBytes, maxSoap) });
  try {
    const parsed = await parseRetrieveResponse(once(message.root.xml), { maxBytes: maxSoap, maxDocumentChars: maxDocumentChars(options.maxInlineBytes) });
    return await toRetrieved(parsed, request, message, options);
  } catch (err) {
    message.abort();
    throw err;
  }
}

async function fromPlainSoap(body: AsyncIterable<Buffer>, request: Iti39Request, options: RetrieveReadOptions): Promise<RetrievedDocument> {
  const { maxInlineBytes } = options;
  const parsed = await parseRetrieveResponse(body, { maxBytes: maxSoapBytes(maxInlineBytes), maxDocumentChars: maxDocumentChars(maxInlineBytes) });
  return toRetrieved(parsed, request, undefined, options);
}

/**
 * Read an ITI-39 answer body. `contentType` is the HTTP Content-Type; when it is missing the body is sniffed
 * (a body starting with `--` is taken for a multipart package whose boundary is its first line).
 * @throws XcaError ('soap-fault', 'unparseable', 'oversize', 'network', 'timeout'), Iti39RegistryError.
 *   The body has been released when this rejects, except for errors of the body source itself.
 */
export async function readRetrieveResponse(
  body: AsyncIterable<Buffer>,
  contentType: string | undefined,
  request: Iti39Request,
  options: Partial<RetrieveReadOptions> = {},
): Promise<RetrievedDocument> {
  const bounds: RetrieveReadOptions = {
    maxInlineBytes: options.maxInlineBytes ?? ITI39_LIMITS.maxInlineBytes,
    idleMs: options.idleMs ?? ITI39_LIMITS.idleMs,
    drainMs: options.drainMs ?? ITI39_LIMITS.drainMs,
  };
  if (contentType !== undefined && contentType.trim() !== '') {
    return isMultipart(contentType) ? fromMtom(body, contentType, request, bounds) : fromPlainSoap(body, request, bounds);
  }
  const sniffed = await sniffMultipart(body);
  return sniffed.multipart ? fromMtom(sniffed.body, undefined, request, bounds) : fromPlainSoap(sniffed.body, request, bounds);
}
