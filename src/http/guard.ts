import type { NextFunction, Request, Response } from 'express';
import type { AuditInteraction, AuditTrail } from '../audit';
import type { Logger } from 'pino';
import { audited } from './audit';
import { scope } from './auth';

/**
 * The resource types behind authentication, and how each path maps to a SMART scope operation and an audit
 * interaction: `/{type}` and `/{type}/_search` are searches, `/{type}/{id}` reads. One table, so a new route of a
 * known type cannot slip past the scope check or the audit.
 */
export const GUARDED_TYPES = ['DocumentReference', 'Binary', 'ImagingStudy', 'AuditEvent'] as const;

function classify(path: string): { type: string; operation: AuditInteraction } | undefined {
  const [type, second] = path.split('/').filter((s) => s !== '');
  if (type === undefined || !(GUARDED_TYPES as readonly string[]).includes(type)) return undefined;
  return { type, operation: second === undefined || second === '_search' ? 'search' : 'read' };
}

/** Scope check, then the audit scope, for every request to a guarded resource type. */
export function guardResources(trail: AuditTrail, options: { publicBaseUrl: string | undefined; logger: Logger }) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const kind = classify(req.path);
    if (kind === undefined) {
      next();
      return;
    }
    scope(kind.type, kind.operation)(req, res, (err?: unknown) => {
      if (err !== undefined) {
        next(err);
        return;
      }
      audited(trail, { resourceType: kind.type, interaction: kind.operation, ...options })(req, res, next);
    });
  };
}
