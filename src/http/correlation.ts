import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { FacadeError } from '../errors/facade-error';
import { childSpan, readTraceContext, type TraceContext } from '../observability';

/** Ids that tie one request together across the client, this service's logs and the audit trail. */
export interface RequestIds {
  readonly requestId: string;
  readonly correlationId: string;
}

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9\-_.:]{0,127}$/;

function pick(req: Request, header: string): string | undefined {
  const value = req.get(header);
  if (value === undefined || value === '') return undefined;
  if (!SAFE_ID.test(value)) throw new FacadeError('INVALID_HEADER', `${header} must be 1-128 characters of letters, digits and - _ . :`, { expression: header });
  return value;
}

/** Read or generate X-Request-ID / X-Correlation-ID and mirror them on every response, errors included. */
export function correlation(req: Request, res: Response, next: NextFunction): void {
  // W3C Trace Context: continue the caller's trace (or start one); upstream calls get a child span.
  res.locals.trace = readTraceContext({ traceparent: req.get('traceparent'), tracestate: req.get('tracestate') }) ?? childSpan();
  let ids: RequestIds = { requestId: randomUUID(), correlationId: '' };
  try {
    const requestId = pick(req, 'X-Request-ID') ?? ids.requestId;
    ids = { requestId, correlationId: pick(req, 'X-Correlation-ID') ?? requestId };
  } catch (err) {
    ids = { requestId: ids.requestId, correlationId: ids.requestId };
    res.locals.ids = ids;
    res.set({ 'X-Request-ID': ids.requestId, 'X-Correlation-ID': ids.correlationId });
    next(err);
    return;
  }
  res.locals.ids = ids;
  res.set({ 'X-Request-ID': ids.requestId, 'X-Correlation-ID': ids.correlationId });
  next();
}

/** The trace context of this request (the caller's, or a new one). */
export function traceOf(res: Response): TraceContext {
  return res.locals.trace as TraceContext;
}

/** The ids of this request (set by `correlation`). */
export function idsOf(res: Response): RequestIds {
  return res.locals.ids as RequestIds;
}
