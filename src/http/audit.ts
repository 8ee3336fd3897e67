import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { AuditInteraction, AuditTrail } from '../audit';
import { NO_AUDIT, RequestAudit, type AuditScope } from '../interactions/request-audit';
import { callerOf } from './auth';
import { idsOf } from './correlation';
import { baseUrlOf } from './fhir-request';

/**
 * Open the audit of an audited route (search, read, retrieve): the interaction writes the intent; the outcome is
 * written here when the response ends — with the final status, or as a failure when the transfer was cut off.
 */
export function audited(trail: AuditTrail, options: { resourceType: string; interaction: AuditInteraction; publicBaseUrl: string | undefined; logger: Logger }) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const ids = idsOf(res);
    const id = typeof req.params.id === 'string' ? req.params.id : undefined;
    const audit = new RequestAudit(
      trail,
      {
        interaction: options.interaction,
        resourceType: options.resourceType,
        caller: callerOf(res),
        requestId: ids.requestId,
        correlationId: ids.correlationId,
        facade: { name: 'mhd-xca-facade', baseUrl: baseUrlOf(req, options.publicBaseUrl) },
        ...(req.socket.remoteAddress ? { clientAddress: req.socket.remoteAddress } : {}),
        ...(options.interaction === 'search' ? { query: `${req.method} ${req.originalUrl}${typeof req.body === 'string' && req.body !== '' ? ` ${req.body}` : ''}` } : {}),
        ...(id !== undefined ? { resourceId: id } : {}),
        startedAt: new Date(),
      },
      options.logger,
    );
    res.locals.audit = audit;
    res.once('close', () => {
      const complete = res.writableFinished;
      void audit.end(complete ? res.statusCode : 502, complete ? `HTTP ${res.statusCode}` : 'Transfer to the client was cut off');
    });
    next();
  };
}

/** The audit scope of this request (a no-op for routes that are not audited). */
export function auditOf(res: Response): AuditScope {
  return (res.locals.audit as AuditScope | undefined) ?? NO_AUDIT;
}
