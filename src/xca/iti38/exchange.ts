import type { Dispatcher } from 'undici';
import { XcaError } from '../errors';
import type { AdhocQueryResponse, Community, EntryReader, IdentifiedEntry, StoredQuery } from '../model';
import { WSA } from '../soap/constants';
import { freshAddressing } from '../soap/envelope';
import { postSoap } from '../transport';
import { buildCrossGatewayQuery } from './request';
import { parseAdhocQueryResponse } from './response-parser';

/** Per-call context of an ITI-38 exchange. */
export interface Iti38CallContext {
  readonly signal?: AbortSignal;
  /** Largest answer read from the community, per HTTP response. */
  readonly maxResponseBytes: number;
  /** Per-community undici Dispatcher (mutual TLS). */
  readonly dispatcher?: Dispatcher;
  /** Builds a fresh wsse:Security header for each request (XUA, ITI TF-2 3.40). */
  readonly securityHeader?: () => string;
  /** Extra HTTP request headers (W3C trace context). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Milliseconds left before `deadline` (epoch ms); a spent deadline is a timeout. */
function remaining(deadline: number, community: Community): number {
  const left = deadline - Date.now();
  if (left <= 0) throw new XcaError('timeout', `The responding gateway did not answer within ${community.timeoutMs} ms`);
  return left;
}

/**
 * One ITI-38 request/response exchange, bounded by `deadline` (epoch ms). Shared by client.ts and get-documents.ts.
 * ITI-38 answers are plain SOAP (ITI TF-2 3.38.4.2.2); a multipart (MTOM) reply is refused as unparseable.
 * `read` decides what is kept of each ExtrinsicObject as it is parsed.
 */
export async function exchangeIti38<E extends IdentifiedEntry>(community: Community, query: StoredQuery, ctx: Iti38CallContext, deadline: number, read: EntryReader<E>): Promise<AdhocQueryResponse<E>> {
  const envelope = buildCrossGatewayQuery(query, freshAddressing(community.iti38Url, ctx.securityHeader));
  const response = await postSoap({
    url: community.iti38Url,
    action: WSA.iti38Request,
    envelope,
    timeoutMs: remaining(deadline, community),
    maxResponseBytes: ctx.maxResponseBytes,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.dispatcher ? { dispatcher: ctx.dispatcher } : {}),
    ...(ctx.headers ? { headers: ctx.headers } : {}),
  });
  if (/^\s*multipart\//i.test(response.contentType)) {
    response.discard();
    throw new XcaError('unparseable', 'The responding gateway answered ITI-38 with a multipart (MTOM) message; a plain SOAP answer is required');
  }
  return parseAdhocQueryResponse(response.body, { maxBytes: ctx.maxResponseBytes, read });
}
