import { XcaError } from '../errors';
import type { Community } from '../model';
import { newMessageId } from '../soap/envelope';
import { ITI39_LIMITS } from './constants';
import { postMtom, type MtomHttpResponse } from './http';
import { classifyExchangeError, deadlineError } from './http-errors';
import { encodeMtomRequest } from './mtom-request';
import { Iti39RegistryError } from './registry-error';
import { buildCrossGatewayRetrieve } from './request';
import { readRetrieveResponse } from './response';
import type { Iti39CallContext, Iti39Request, RetrievedDocument } from './types';

/**
 * ITI-39 Cross Gateway Retrieve of one document from one community (ITI TF-2 3.39), sent as MTOM.
 *
 * Time bounds: community.timeoutMs covers connecting, the response headers, the SOAP root part and the first
 * bytes of the document; once the document streams, each wait for more bytes is bounded by
 * ctx.bodyIdleTimeoutMs (default community.timeoutMs) instead: see document-stream.ts. ctx.signal cancels the
 * call and, later, the document stream.
 *
 * @throws XcaError: 'network' (also: the community has no iti39Url), 'tls', 'timeout', 'http-status',
 *   'soap-fault', 'unparseable' (no matching DocumentResponse, no mimeType, unknown xop:Include, bad base64...),
 *   'oversize'; Iti39RegistryError when the answer has RegistryErrors and not the document.
 * @throws RangeError when an id of `request` is empty or too long (a caller bug, nothing was sent).
 */
export async function crossGatewayRetrieve(community: Community, request: Iti39Request, ctx: Iti39CallContext = {}): Promise<RetrievedDocument> {
  const url = community.iti39Url;
  if (url === undefined || url.trim() === '') {
    throw new XcaError('network', `Community "${community.name}" has no ITI-39 (Cross Gateway Retrieve) endpoint configured`);
  }
  const mtom = encodeMtomRequest(buildCrossGatewayRetrieve(request, { to: url, messageId: newMessageId() }));
  const { timeoutMs } = community;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(deadlineError(timeoutMs)), timeoutMs);
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, deadline.signal]) : deadline.signal;
  let response: MtomHttpResponse | undefined;
  try {
    response = await postMtom({ url, contentType: mtom.contentType, body: mtom.body, signal, ...(ctx.dispatcher ? { dispatcher: ctx.dispatcher } : {}) });
    return await readRetrieveResponse(response.body, response.contentType || undefined, request, {
      maxInlineBytes: ctx.maxInlineBytes ?? ITI39_LIMITS.maxInlineBytes,
      idleMs: ctx.bodyIdleTimeoutMs ?? timeoutMs,
      drainMs: ITI39_LIMITS.drainMs,
    });
  } catch (err) {
    response?.discard();
    if (err instanceof Iti39RegistryError) throw err;
    throw classifyExchangeError(err, { deadline: deadline.signal, ...(ctx.signal ? { outer: ctx.signal } : {}), timeoutMs });
  } finally {
    clearTimeout(timer);
  }
}
