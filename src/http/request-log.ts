import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { idsOf } from './correlation';

/**
 * One JSON log line per request: ids, method, route (path without the query string, which can hold an NHS
 * number), the names of the parameters used, status and duration.
 */
export function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ids = idsOf(res);
      const paramNames = [...new URLSearchParams(req.originalUrl.split('?')[1] ?? '').keys()];
      logger.info(
        {
          requestId: ids?.requestId,
          correlationId: ids?.correlationId,
          method: req.method,
          path: req.path,
          params: [...new Set(paramNames)],
          status: res.statusCode,
          durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        },
        'request',
      );
    });
    next();
  };
}
