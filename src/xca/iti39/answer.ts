import { isMultipart, MTOM_DEFAULTS, readMtom, type MtomMessage } from '../mtom';
import { ITI39_LIMITS } from './constants';
import { parseRetrieveResponse } from './response-parser';
import { sniffMultipart } from './sniff';
import type { Iti39Response } from './types';

/**
 * The SOAP part of an XDS.b RetrieveDocumentSetResponse answer (ITI-39, and RAD-75 which reuses it, RAD TF-3
 * 4.75.4.2 → 4.69.4.2 → ITI TF-2 3.43.4.2), MTOM or plain: the package is opened, the root part parsed, and
 * the attachments are left unread for the caller. MTOM (multipart/related, ITI TF-2 Appendix V) is what IHE
 * specifies; plain SOAP with documents inline as base64 is what some responders send anyway (public captures).
 */

/** A parsed answer and, for MTOM, the message whose attachments are still to be read. */
export interface RetrieveAnswer {
  readonly response: Iti39Response;
  /** undefined for a plain SOAP answer (every document inline, nothing left to read). */
  readonly message?: MtomMessage;
}

/** Bounds of the SOAP part. */
export interface AnswerLimits {
  /** Largest inline (base64) document, decoded bytes: it sizes the SOAP text we accept. */
  readonly maxInlineBytes: number;
  /** What is being read, for error messages (default 'ITI-39 response'). */
  readonly what?: string;
}

/** Longest Document text (base64, with line breaks) an inline document of `maxInlineBytes` can need. */
export function maxDocumentChars(maxInlineBytes: number): number {
  return Math.ceil(maxInlineBytes * ITI39_LIMITS.base64Expansion) + 4;
}

/** Largest SOAP text (plain body, or MTOM root part) an answer with an inline document can need. */
function maxSoapBytes(maxInlineBytes: number): number {
  return maxDocumentChars(maxInlineBytes) + ITI39_LIMITS.envelopeAllowanceBytes;
}

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

function parseOptions(limits: AnswerLimits): { maxBytes: number; maxDocumentChars: number; what?: string } {
  const base = { maxBytes: maxSoapBytes(limits.maxInlineBytes), maxDocumentChars: maxDocumentChars(limits.maxInlineBytes) };
  return limits.what === undefined ? base : { ...base, what: limits.what };
}

async function fromMtom(body: AsyncIterable<unknown>, contentType: string | undefined, limits: AnswerLimits): Promise<RetrieveAnswer> {
  const options = parseOptions(limits);
  const message = await readMtom(body, contentType, { maxRootBytes: Math.max(MTOM_DEFAULTS.maxRootBytes, options.maxBytes) });
  try {
    return { response: await parseRetrieveResponse(once(message.root.xml), options), message };
  } catch (err) {
    message.abort();
    throw err;
  }
}

/**
 * Read an answer body up to its parsed SOAP part. `contentType` is the HTTP Content-Type; when it is missing the
 * body is sniffed (a body starting with `--` is taken for a multipart package whose boundary is its first line).
 * @throws XcaError ('soap-fault', 'unparseable', 'oversize'), MtomError; the MTOM message has been abandoned
 *   when this rejects.
 */
export async function readRetrieveAnswer(body: AsyncIterable<Buffer>, contentType: string | undefined, limits: AnswerLimits): Promise<RetrieveAnswer> {
  if (contentType !== undefined && contentType.trim() !== '') {
    return isMultipart(contentType) ? fromMtom(body, contentType, limits) : { response: await parseRetrieveResponse(body, parseOptions(limits)) };
  }
  const sniffed = await sniffMultipart(body);
  return sniffed.multipart ? fromMtom(sniffed.body, undefined, limits) : { response: await parseRetrieveResponse(sniffed.body, parseOptions(limits)) };
}
