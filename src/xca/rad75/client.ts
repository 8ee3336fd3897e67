import { XcaError } from '../errors';
import { ITI39_LIMITS } from '../iti39/constants';
import { exchangeMtom } from '../iti39/exchange';
import { encodeMtomRequest } from '../iti39/mtom-request';
import type { Community } from '../model';
import { freshAddressing } from '../soap/envelope';
import { RAD75_ACTION } from './constants';
import { buildRetrieveImagingDocumentSet } from './request';
import { readImagingResponse } from './response';
import type { ImagingRetrieval, Rad75CallContext, Rad75Request } from './types';

/**
 * RAD-75 Cross Gateway Retrieve Imaging Document Set (RAD TF-3 4.75), initiating side: the instances of one
 * study from one responding imaging gateway, sent and answered as MTOM (ITI TF-2 Appendix V).
 *
 * Time bounds: community.timeoutMs covers connecting, the response headers and the SOAP root part; after that
 * every wait for instance bytes (the first bytes of each instance included) is bounded by
 * ctx.bodyIdleTimeoutMs (default community.timeoutMs), while the time the caller takes to read is back-pressure
 * and unbounded. ctx.signal cancels the call and, later, the instance being streamed.
 *
 * @throws XcaError: 'network' (also: the community has no rad75Url), 'tls', 'timeout', 'http-status',
 *   'soap-fault', 'unparseable', 'oversize'; Rad75RegistryError when the answer has RegistryErrors and not one
 *   of the instances (e.g. Failure with XDSRepositoryError: no requested transfer syntax can be produced).
 * @throws RangeError when `request` is malformed (empty list, not a DICOM UID...): nothing was sent.
 */
export async function crossGatewayRetrieveImaging(community: Community, request: Rad75Request, ctx: Rad75CallContext = {}): Promise<ImagingRetrieval> {
  const url = community.rad75Url;
  if (url === undefined || url.trim() === '') {
    throw new XcaError('network', `Community "${community.name}" has no RAD-75 (Cross Gateway Retrieve Imaging Document Set) endpoint configured`);
  }
  const envelope = buildRetrieveImagingDocumentSet(request, freshAddressing(url, ctx.securityHeader));
  const mtom = encodeMtomRequest(envelope, { action: RAD75_ACTION.request });
  const { timeoutMs } = community;
  return exchangeMtom({ url, mtom, timeoutMs }, ctx, (response) =>
    readImagingResponse(response.body, response.contentType || undefined, request, {
      maxInlineBytes: ctx.maxInlineBytes ?? ITI39_LIMITS.maxInlineBytes,
      idleMs: ctx.bodyIdleTimeoutMs ?? timeoutMs,
      drainMs: ITI39_LIMITS.drainMs,
    }),
  );
}
