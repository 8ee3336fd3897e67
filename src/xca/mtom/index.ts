/**
 * MTOM/XOP reader for ITI-39 / RAD-75 responses: streaming multipart/related framing (RFC 2046 §5.1, RFC 2387),
 * XOP Content-ID resolution (XOP 1.0, RFC 2392). See read-mtom.ts for the usage pattern.
 */
export { readMtom, MTOM_DEFAULTS, type MtomMessage, type MtomReadOptions, type MtomRoot } from './read-mtom';
export { MtomError, isMtomError, type MtomErrorReason } from './errors';
export { normaliseContentId } from './content-id';
export { isMultipart, parseMediaType, type MediaType } from './media-type';
export type { MtomPartInfo } from './part-headers';
