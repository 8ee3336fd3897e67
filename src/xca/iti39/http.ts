import type { Readable } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import { XcaError } from '../errors';
import { isMultipart, readMtom } from '../mtom';
import { XML_LIMITS } from '../soap/constants';
import { readSoapFault } from '../soap/fault';
import { ITI39_ACCEPT } from './constants';

/**
 * The HTTP POST of an MTOM request (ITI TF-2 Appendix V; SOAP 1.2 Part 2 section 7). Our own small undici
 * call rather than transport.ts's postSoap, which fixes the Content-Type to application/soap+xml and holds one
 * deadline over the whole body: a retrieve must send multipart/related and stream a document of any size
 * after the deadline for the answer's start has been met. Timeouts are the caller's (an AbortSignal).
 */

export interface MtomPostOptions {
  readonly url: string;
  readonly contentType: string;
  readonly body: Buffer;
  /** Aborts the request and, later, the response body. */
  readonly signal: AbortSignal;
  readonly dispatcher?: Dispatcher;
  /** Extra request headers (W3C trace context); they cannot replace content-type or accept. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A 2xx answer whose body is still to be read. */
export interface MtomHttpResponse {
  readonly status: number;
  /** The Content-Type header as sent ('' when absent). */
  readonly contentType: string;
  /** The body as undici hands it over (a Node Readable, so the MTOM reader can apply back-pressure). */
  readonly body: Readable;
  /** Drop the body unread; safe to call more than once. */
  discard(): void;
}

function header(headers: Dispatcher.ResponseData['headers'], name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

/** Destroy a body we will not read further; the listener keeps its abort error from going unhandled. */
export function dispose(body: Readable): void {
  body.on('error', () => undefined);
  if (!body.destroyed) body.destroy();
}

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

/** A SOAP Fault in a non-2xx answer, plain or MTOM-packaged (Axis2 sends faults as MTOM when MTOM is on). */
async function readFault(res: Dispatcher.ResponseData, contentType: string): Promise<XcaError | undefined> {
  const max = XML_LIMITS.maxFaultBytes;
  if (isMultipart(contentType)) {
    try {
      const message = await readMtom(res.body, contentType, { maxRootBytes: max });
      message.abort();
      return await readSoapFault(once(message.root.xml), res.statusCode, max);
    } catch {
      return undefined; // an unreadable error answer is reported by its status
    }
  }
  return /xml/i.test(contentType) ? readSoapFault(res.body as AsyncIterable<Buffer>, res.statusCode, max) : undefined;
}

/**
 * POST an MTOM request. Resolves with a 2xx answer, body unread. Throws XcaError 'soap-fault' (non-2xx with a
 * SOAP Fault, httpStatus set) or 'http-status'; errors of undici itself are thrown as they are, for the caller
 * to classify against its own deadline (see http-errors.ts).
 */
export async function postMtom(options: MtomPostOptions): Promise<MtomHttpResponse> {
  const res = await request(options.url, {
    method: 'POST',
    headers: { ...options.headers, 'content-type': options.contentType, accept: ITI39_ACCEPT },
    body: options.body,
    signal: options.signal,
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
  });
  const contentType = header(res.headers, 'content-type');
  if (res.statusCode < 200 || res.statusCode > 299) {
    const fault = await readFault(res, contentType);
    dispose(res.body);
    throw fault ?? new XcaError('http-status', `The responding gateway answered HTTP ${res.statusCode}`, { httpStatus: res.statusCode });
  }
  return { status: res.statusCode, contentType, body: res.body, discard: () => dispose(res.body) };
}
