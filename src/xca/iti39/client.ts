import { XcaError } from '../errors';
import type { Community } from '../model';
import { freshAddressing } from '../soap/envelope';
import { ITI39_LIMITS } from './constants';
import { exchangeMtom } from './exchange';
import { encodeMtomRequest } from './mtom-request';
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
  const mtom = encodeMtomRequest(buildCrossGatewayRetrieve(request, freshAddressing(url, ctx.securityHeader)));
  const { timeoutMs } = community;
  return exchangeMtom({ url, mtom, timeoutMs }, ctx, (response) =>
    readRetrieveResponse(response.body, response.contentType || undefined, request, {
      maxInlineBytes: ctx.maxInlineBytes ?? ITI39_LIMITS.maxInlineBytes,
      idleMs: ctx.bodyIdleTimeoutMs ?? timeoutMs,
      drainMs: ITI39_LIMITS.drainMs,
    }),
  );
}
