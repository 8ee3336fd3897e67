import { request, type Dispatcher } from 'undici';
import { errorCode, TIMEOUT_CODES, tlsFailure } from './error-codes';
import { XcaError } from './errors';
import { XML_LIMITS } from './soap/constants';
import { soapContentType } from './soap/envelope';
import { readSoapFault } from './soap/fault';

/**
 * SOAP 1.2 over HTTP POST (ITI TF-2 Appendix V; SOAP 1.2 Part 2 section 7) with undici. The dispatcher is
 * injectable so that a per-community mutual-TLS Agent can be passed in (ATNA secure node, ITI TF-2 3.19).
 */

export interface PostSoapOptions {
  readonly url: string;
  readonly action: string;
  readonly envelope: string;
  /** Covers the whole exchange: connecting, waiting for headers and reading the body. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly maxResponseBytes: number;
  readonly dispatcher?: Dispatcher;
  /** Extra request headers (W3C trace context); they cannot replace content-type or accept. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Accept header; ITI-38 wants plain SOAP, a retrieve caller may add multipart/related. */
  readonly accept?: string;
}

/** A 2xx answer whose body is still to be read. */
export interface SoapHttpResponse {
  readonly status: number;
  /** The Content-Type header as sent ('' when absent). */
  readonly contentType: string;
  /** The body; errors while reading it are XcaErrors; more than maxResponseBytes fails with 'oversize'. */
  readonly body: AsyncIterable<Buffer>;
  /** Drop the body unread (frees the connection and the timeout). Safe to call more than once. */
  discard(): void;
}

type BodyStream = Dispatcher.ResponseData['body'];

/** Map whatever undici / the socket threw to an XcaError, telling our own deadline from a caller's abort. */
function mapError(err: unknown, deadline: AbortSignal, outer: AbortSignal | undefined, timeoutMs: number): XcaError {
  if (err instanceof XcaError) return err;
  if (deadline.aborted) return timeoutError(timeoutMs, err);
  if (outer?.aborted) {
    const reason: unknown = outer.reason;
    return reason instanceof XcaError ? reason : new XcaError('timeout', 'The request to the responding gateway was cancelled before it answered', { cause: err });
  }
  const tls = tlsFailure(err);
  if (tls) return tls;
  const code = errorCode(err);
  if (code && TIMEOUT_CODES.has(code)) return timeoutError(timeoutMs, err);
  return new XcaError('network', `The responding gateway could not be reached${code ? ` (${code})` : ''}`, { cause: err });
}

function timeoutError(timeoutMs: number, cause?: unknown): XcaError {
  return new XcaError('timeout', `The responding gateway did not answer within ${timeoutMs} ms`, cause === undefined ? {} : { cause });
}

function oversizeError(max: number): XcaError {
  return new XcaError('oversize', `The responding gateway's answer is larger than the limit of ${max} bytes`);
}

/** The body as an AsyncIterable that counts bytes, maps stream errors and always releases the deadline. */
async function* guardBody(body: BodyStream, max: number, release: () => void, mapErr: (err: unknown) => XcaError): AsyncGenerator<Buffer> {
  let total = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > max) throw oversizeError(max);
      yield chunk;
    }
  } catch (err) {
    throw mapErr(err);
  } finally {
    release();
    dispose(body);
  }
}

/** Destroy an undici body we will not read further; the listener keeps its abort error from going unhandled. */
function dispose(body: BodyStream): void {
  body.on('error', () => undefined);
  if (!body.destroyed) body.destroy();
}

function header(headers: Dispatcher.ResponseData['headers'], name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

/**
 * POST a SOAP 1.2 message. Resolves with a 2xx answer (body unread). Throws XcaError: 'timeout', 'network',
 * 'tls', 'oversize' (declared Content-Length over the limit), 'soap-fault' (non-2xx carrying a SOAP Fault,
 * with httpStatus), 'http-status' (any other non-2xx).
 */
export async function postSoap(options: PostSoapOptions): Promise<SoapHttpResponse> {
  const { timeoutMs, maxResponseBytes: max } = options;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(timeoutError(timeoutMs)), timeoutMs);
  const release = (): void => clearTimeout(timer);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
  const mapErr = (err: unknown): XcaError => mapError(err, deadline.signal, options.signal, timeoutMs);
  let res: Dispatcher.ResponseData;
  try {
    res = await request(options.url, {
      method: 'POST',
      headers: { ...options.headers, 'content-type': soapContentType(options.action), accept: options.accept ?? 'application/soap+xml, text/xml' },
      body: options.envelope,
      signal,
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
  } catch (err) {
    release();
    throw mapErr(err);
  }
  const body = guardBody(res.body, max, release, mapErr);
  const discard = (): void => {
    release();
    dispose(res.body);
  };
  const contentType = header(res.headers, 'content-type');
  if (res.statusCode < 200 || res.statusCode > 299) {
    // Only XML (or unlabelled) error bodies are searched for a Fault; HTML error pages are not parsed.
    const mayHoldFault = contentType === '' || /xml/i.test(contentType);
    const fault = mayHoldFault ? await readSoapFault(body, res.statusCode, Math.min(max, XML_LIMITS.maxFaultBytes)) : undefined;
    discard();
    throw fault ?? new XcaError('http-status', `The responding gateway answered HTTP ${res.statusCode}`, { httpStatus: res.statusCode });
  }
  const declared = Number(header(res.headers, 'content-length'));
  if (Number.isFinite(declared) && declared > max) {
    discard();
    throw oversizeError(max);
  }
  return { status: res.statusCode, contentType, body, discard };
}
