import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../observability';
import { routePattern, UNMATCHED_ROUTE, type RoutePattern } from '../observability';
import { idsOf, traceOf } from './correlation';

/** The matched route PATTERN of a request (never its URL, which can hold identifiers). */
export function routeOf(req: Request): RoutePattern {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? routePattern(`${req.baseUrl}${path}`) : UNMATCHED_ROUTE;
}

/**
 * One JSON log line and one metrics sample per request: ids, trace id, method, route pattern, the names of the
 * parameters used (never the query string, which can hold an NHS number), status and duration.
 */
export function requestLog(logger: Logger, metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const ids = idsOf(res);
      const durationMs = Number((process.hrtime.bigint() - started) / 1000n) / 1000;
      const route = routeOf(req);
      const status = res.writableFinished ? res.statusCode : 499;
      const paramNames = [...new URLSearchParams(req.originalUrl.split('?')[1] ?? '').keys()];
      metrics.recordHttpRequest({ route, method: req.method, status, durationMs });
      logger.info(
        {
          requestId: ids?.requestId,
          correlationId: ids?.correlationId,
          traceId: traceOf(res)?.traceId,
          method: req.method,
          route,
          params: [...new Set(paramNames)],
          status,
          completed: res.writableFinished,
          durationMs,
        },
        'request',
      );
    });
    next();
  };
}
