import { readRetrieveAnswer } from '../iti39/answer';
import { ITI39_LIMITS } from '../iti39/constants';
import { RAD75_WHAT } from './constants';
import { InstanceSequence, type SequenceBounds } from './instance-sequence';
import { planImagingRetrieval } from './plan';
import type { ImagingRetrieval, Rad75Request } from './types';

/**
 * From a RAD-75 answer body (an XDS.b RetrieveDocumentSetResponse, RAD TF-3 4.75.4.2 → 4.69.4.2 → ITI TF-2
 * 3.43.4.2; MTOM or plain SOAP, see iti39/answer.ts) to an ImagingRetrieval. The SOAP part is parsed and every
 * DocumentResponse matched to the request before this resolves; the instance bytes are read only as the caller
 * iterates.
 */

/**
 * Read a RAD-75 answer body. `contentType` is the HTTP Content-Type (missing: the body is sniffed).
 * @throws XcaError ('soap-fault', 'unparseable', 'oversize', ...), MtomError (framing, for the caller to
 *   classify), Rad75RegistryError (no instance, RegistryErrors). The message has been abandoned when this
 *   rejects, except for errors of the body source itself.
 */
export async function readImagingResponse(
  body: AsyncIterable<Buffer>,
  contentType: string | undefined,
  request: Rad75Request,
  options: Partial<SequenceBounds> = {},
): Promise<ImagingRetrieval> {
  const bounds: SequenceBounds = {
    maxInlineBytes: options.maxInlineBytes ?? ITI39_LIMITS.maxInlineBytes,
    idleMs: options.idleMs ?? ITI39_LIMITS.idleMs,
    drainMs: options.drainMs ?? ITI39_LIMITS.drainMs,
  };
  const { response, message } = await readRetrieveAnswer(body, contentType, { maxInlineBytes: bounds.maxInlineBytes, what: RAD75_WHAT });
  try {
    const plan = planImagingRetrieval(response, request, message !== undefined);
    const instances = new InstanceSequence(plan.steps, message, bounds);
    return {
      status: plan.status,
      registryErrors: plan.errors,
      missingSopInstanceUids: plan.missing,
      instances,
      abort: () => instances.abort(),
    };
  } catch (err) {
    message?.abort();
    throw err;
  }
}
