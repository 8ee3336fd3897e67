/**
 * ITI-39 Cross Gateway Retrieve, initiating side (ITI TF-2 3.39 over the XDS.b messages of 3.43): request
 * builder, MTOM packaging, the client, and the reader of MTOM and plain-SOAP answers.
 */
export { crossGatewayRetrieve } from './client';
export { buildCrossGatewayRetrieve, buildRetrieveDocumentSetRequest, type Iti39Addressing } from './request';
export { encodeMtomRequest, type MtomRequest, type MtomRequestOptions } from './mtom-request';
export { readRetrieveResponse, type RetrieveReadOptions } from './response';
export { parseRetrieveResponse, type RetrieveParseOptions } from './response-parser';
export { selectDocument } from './select';
export { Iti39RegistryError, isIti39RegistryError } from './registry-error';
export { ITI39_ACTION, ITI39_LIMITS, ITI39_NS } from './constants';
export type { Iti39CallContext, Iti39DocumentContent, Iti39DocumentResponse, Iti39Request, Iti39Response, RetrievedDocument } from './types';
