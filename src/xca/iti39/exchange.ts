import type { Dispatcher } from 'undici';
import { postMtom, type MtomHttpResponse } from './http';
import { classifyExchangeError, deadlineError } from './http-errors';
import type { MtomRequest } from './mtom-request';
import { Iti39RegistryError } from './registry-error';

/**
 * One MTOM request/answer exchange with a responding gateway, shared by ITI-39 and RAD-75 (both carry XDS.b
 * retrieve messages as MTOM, ITI TF-2 Appendix V). `timeoutMs` is a deadline over connecting, the response
 * headers and whatever `read` does; once `read` resolves the deadline stops, and what is still streaming is
 * bounded by the reader's own idle timeouts. The caller's signal keeps cancelling the body after that.
 */

/** What to send, where, and within which deadline. */
export interface MtomExchangeRequest {
  readonly url: string;
  readonly mtom: MtomRequest;
  readonly timeoutMs: number;
}

/** The caller's cancellation and per-community Dispatcher (mutual TLS, ITI TF-2 3.19). */
export interface MtomExchangeContext {
  readonly signal?: AbortSignal;
  readonly dispatcher?: Dispatcher;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * POST `request.mtom` and hand the 2xx answer to `read`. When `read` (or the POST) throws, the body is released
 * and the error classified into an XcaError against our deadline and the caller's signal; an
 * Iti39RegistryError (or subclass) passes through unchanged, since the exchange itself worked.
 */
export async function exchangeMtom<T>(request: MtomExchangeRequest, ctx: MtomExchangeContext, read: (response: MtomHttpResponse) => Promise<T>): Promise<T> {
  const { timeoutMs } = request;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(deadlineError(timeoutMs)), timeoutMs);
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, deadline.signal]) : deadline.signal;
  let response: MtomHttpResponse | undefined;
  try {
    response = await postMtom({ url: request.url, contentType: request.mtom.contentType, body: request.mtom.body, signal, ...(ctx.dispatcher ? { dispatcher: ctx.dispatcher } : {}), ...(ctx.headers ? { headers: ctx.headers } : {}) });
    return await read(response);
  } catch (err) {
    response?.discard();
    if (err instanceof Iti39RegistryError) throw err;
    throw classifyExchangeError(err, { deadline: deadline.signal, ...(ctx.signal ? { outer: ctx.signal } : {}), timeoutMs });
  } finally {
    clearTimeout(timer);
  }
}
