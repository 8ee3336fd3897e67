import type { Request, Response } from 'express';
import type { SearchParamList } from '../search/iti67-search';
import type { RequestContext } from '../interactions/services';
import { accessContextOf } from '../security/inbound';
import { auditOf } from './audit';
import { callerOf } from './auth';
import { idsOf, traceOf } from './correlation';
import { fhirFormatOf } from './negotiation';
import { childSpan, formatTraceparent } from '../observability';
import { createDeadline, DEFAULT_REQUEST_DEADLINE_MS } from '../resilience';

/** The search parameters of a request in order: the URL query, then (POST _search) the form body. */
export function searchParamsOf(req: Request): SearchParamList {
  const fromUrl = [...new URLSearchParams(req.originalUrl.split('?')[1] ?? '').entries()];
  const body = typeof req.body === 'string' ? [...new URLSearchParams(req.body).entries()] : [];
  return [...fromUrl, ...body];
}

/** `Prefer: handling=lenient` (FHIR R4 search 3.1.1.3): ignore unknown parameters instead of refusing. */
export function isLenient(req: Request): boolean {
  const prefer = req.get('Prefer') ?? '';
  return prefer.split(/[;,]/).some((p) => p.trim().toLowerCase() === 'handling=lenient');
}

/** The FHIR base URL clients see: PUBLIC_BASE_URL, else derived from the request. */
export function baseUrlOf(req: Request, publicBaseUrl: string | undefined): string {
  return publicBaseUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}/fhir`;
}

/** Build the per-request context handed to interactions. */
export function requestContext(
  req: Request,
  res: Response,
  publicBaseUrl: string | undefined,
  logger: RequestContext['logger'],
  deadlineMs: number = DEFAULT_REQUEST_DEADLINE_MS,
): RequestContext {
  const ids = idsOf(res);
  const controller = new AbortController();
  // One deadline per inbound request bounds the whole fan-out (and aborts it when the client goes away).
  const deadline = createDeadline(deadlineMs, controller.signal);
  // One listener for both (a streamed Binary's pipeline adds its own; more than ten makes Node warn of a leak).
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
    deadline.release();
  });
  const trace = traceOf(res);
  return {
    baseUrl: baseUrlOf(req, publicBaseUrl),
    requestId: ids.requestId,
    correlationId: ids.correlationId,
    logger: logger.child({ requestId: ids.requestId, correlationId: ids.correlationId, traceId: trace.traceId }),
    signal: deadline.signal,
    deadline: deadline.at,
    traceHeaders: { traceparent: formatTraceparent(childSpan(trace)) },
    accessContext: accessContextOf(callerOf(res)),
    caller: callerOf(res),
    audit: auditOf(res),
    format: fhirFormatOf(res),
    noCache: /(^|,)\s*no-cache\s*(,|$)/i.test(req.get('Cache-Control') ?? ''),
  };
}
