import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { AuditUnavailableError } from '../audit';
import { FacadeError, toFacadeError } from '../errors/facade-error';
import { AuthError, RateLimitedError } from '../security/inbound';
import { outcomeFromError } from '../fhir/operation-outcome';
import { sendResource } from './respond';

/**
 * The one place where errors become OperationOutcome responses. Unknown errors are logged with their stack
 * (never sent to the client) and answered as INTERNAL_SERVER_ERROR.
 */
export function errorHandler(logger: Logger) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    const facadeError = toFacadeError(normaliseExpressError(err));
    if (facadeError.status >= 500) logger.error({ err: facadeError.cause ?? facadeError, code: facadeError.code }, 'request failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.set(facadeError.headers);
    try {
      sendResource(res, facadeError.status, outcomeFromError(facadeError));
    } catch {
      // The outcome could not be written in the negotiated format: fall back to JSON rather than fail twice.
      res.locals.fhirFormat = 'json';
      sendResource(res, facadeError.status, outcomeFromError(facadeError));
    }
  };
}

/** Typed errors of the security and audit modules name their catalogue entry and the headers to send. */
function normaliseModuleError(err: unknown): unknown {
  if (err instanceof AuthError || err instanceof RateLimitedError) return new FacadeError(err.code, err.message, { headers: { ...err.headers } });
  if (err instanceof AuditUnavailableError) return new FacadeError(err.code, 'The audit trail cannot be written: the request is refused rather than served unaudited', { cause: err });
  return err;
}

/** Errors raised by Express body parsers carry a status; keep client errors as client errors. */
function normaliseExpressError(err: unknown): unknown {
  err = normaliseModuleError(err);
  if (typeof err === 'object' && err !== null && 'type' in err && 'status' in err) {
    const { status, type } = err as { status: number; type: string };
    if (type === 'entity.too.large') return new FacadeError('PAYLOAD_TOO_LARGE', 'The request body is too large');
    if (status >= 400 && status < 500) return new FacadeError('INVALID_PARAMETER', 'The request body could not be read');
  }
  return err;
}
