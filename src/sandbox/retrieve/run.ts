import type { GatewayContext, RetrieveResult } from '../context';
import type { SoapRequest } from '../soap/envelope-in';
import { soapFaultResponse } from '../soap/envelope-out';
import { SoapFault } from '../soap/fault';
import type { XmlElement } from '../xml/tree';
import { readMtomSoapRequest } from './mtom-request';
import { retrieveResponse, type ServedDocument } from './response';
import type { RetrieveError } from './retrieve-error';

/**
 * The course of one retrieve, shared by ITI-39 and RAD-75: read the MTOM request (packaging, envelope,
 * WS-Addressing), verify its WS-Security header when the gateway is secured, read the body, answer each DocumentRequest with a document or a RegistryError, count, and
 * package the answer. SOAP-level problems become a Fault (plain SOAP 1.2) that relates to the request's MessageID
 * once it is known.
 */
export interface RetrieveTransaction<T> {
  readonly stat: 'iti39' | 'rad75';
  /** Name used in fault reasons. */
  readonly label: string;
  readonly action: string;
  readonly responseAction: string;
  /** Read env:Body's child; throws SoapFault when it is not this transaction's request. */
  read(body: XmlElement): T;
  /** One result per DocumentRequest, in request order. */
  serve(request: T, ctx: GatewayContext): ReadonlyArray<ServedDocument | RetrieveError>;
}

function fault(err: SoapFault, ctx: GatewayContext, soap: SoapRequest | undefined): RetrieveResult {
  ctx.stats.fault();
  if (soap !== undefined) err.relatesTo ??= soap.messageId;
  return { kind: 'soap', response: soapFaultResponse(err) };
}

/** Answer one retrieve HTTP request body. Unexpected errors propagate (the HTTP layer answers env:Receiver). */
export async function runRetrieve<T>(tx: RetrieveTransaction<T>, contentType: string | undefined, body: Buffer, ctx: GatewayContext): Promise<RetrieveResult> {
  let soap: SoapRequest | undefined;
  try {
    soap = await readMtomSoapRequest(contentType, body, tx.action, tx.label);
    ctx.security?.check(soap.envelope);
    const results = tx.serve(tx.read(soap.body), ctx);
    const documents = results.filter((r): r is ServedDocument => 'content' in r);
    const errors = results.filter((r): r is RetrieveError => 'errorCode' in r);
    ctx.stats.retrieved(tx.stat, documents.length, errors.length);
    return { kind: 'mtom', message: retrieveResponse(tx.responseAction, soap.messageId, { documents, errors }, ctx) };
  } catch (err) {
    if (err instanceof SoapFault) return fault(err, ctx, soap);
    throw err;
  }
}
