import type { Readable } from 'node:stream';
import { XcaError } from '../errors';
import type { MtomMessage } from '../mtom';
import { readRetrieveAnswer } from './answer';
import { ITI39_LIMITS } from './constants';
import { drainQuietly, openAttachmentBody, type StreamBounds } from './document-stream';
import { decodeInlineDocument, inlineBody } from './inline-document';
import { selectDocument } from './select';
import type { Iti39DocumentResponse, Iti39Request, Iti39Response, RetrievedDocument } from './types';

/**
 * From an ITI-39 answer body (MTOM or plain SOAP, see answer.ts) to the one document asked for. The SOAP part is
 * parsed and the document chosen before anything is returned; only the bytes of an MTOM attachment are still to
 * come when this resolves.
 */

/** Bounds of one answer. */
export interface RetrieveReadOptions extends StreamBounds {
  /** Largest inline (base64) document, decoded bytes. */
  readonly maxInlineBytes: number;
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
  const { response, message } = await readRetrieveAnswer(body, contentType, { maxInlineBytes: bounds.maxInlineBytes });
  try {
    return await toRetrieved(response, request, message, bounds);
  } catch (err) {
    message?.abort();
    throw err;
  }
}
