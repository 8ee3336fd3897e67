import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { FacadeError } from '../errors/facade-error';
import { capabilityStatement } from '../interactions/capability-statement';
import { findDocumentReferences } from '../interactions/find-document-references';
import { retrieveDocument } from '../interactions/read-binary';
import { readDocumentReference } from '../interactions/read-document-reference';
import { chooseRepresentation, sendBinaryResource, streamDocument, type BinaryRepresentation } from './binary';
import type { Services } from '../interactions/services';
import { baseUrlOf, isLenient, requestContext, searchParamsOf } from './fhir-request';
import { negotiateFhirFormat } from './negotiation';
import { imagingFhirRoutes } from './imaging-routes';
import { sendResource, sendSerialized } from './respond';
import { authenticate } from './auth';
import { guardResources } from './guard';
import { searchAuditEvents } from '../interactions/search-audit-events';
import type { SecurityServices } from '../security/assemble';

type Handler = (req: Request, res: Response) => Promise<void>;

/** Express 5 passes rejected promises to the error handler; this keeps handlers typed. */
function route(handler: Handler) {
  return (req: Request, res: Response, next: NextFunction): void => {
    handler(req, res).catch(next);
  };
}

/** The FHIR routes under /fhir: adapters from HTTP to interactions, nothing more. */
export function fhirRouter(
  services: Services,
  security: Pick<SecurityServices, 'inbound' | 'audit'>,
  options: { publicBaseUrl: string | undefined; version: string; maxBinaryResourceBytes: number; auditFile: string },
): Router {
  const router = express.Router();
  // FHIR JSON or XML, negotiated per request (the middleware keeps its name for the imaging routes' options).
  const fhirJson = (req: Request, res: Response, next: NextFunction): void => {
    negotiateFhirFormat(req, res);
    next();
  };

  router.get('/metadata', fhirJson, (req, res) => {
    sendResource(res, 200, capabilityStatement(baseUrlOf(req, options.publicBaseUrl), options.version));
  });

  // Everything after the CapabilityStatement is authenticated, scope-checked and audited.
  router.use(authenticate(security.inbound));
  router.use(guardResources(security.audit, { publicBaseUrl: options.publicBaseUrl, logger: services.logger }));

  router.get(
    '/AuditEvent',
    fhirJson,
    route(async (req, res) => {
      const ctx = requestContext(req, res, options.publicBaseUrl, services.logger, services.requestDeadlineMs);
      sendResource(res, 200, await searchAuditEvents(ctx, options.auditFile, searchParamsOf(req)));
    }),
  );

  const search: Handler = async (req, res) => {
    const ctx = requestContext(req, res, options.publicBaseUrl, services.logger, services.requestDeadlineMs);
    sendSerialized(res, 200, await findDocumentReferences(services, ctx, searchParamsOf(req), { lenient: isLenient(req) }));
  };
  router.get('/DocumentReference', fhirJson, route(search));
  router.post(
    '/DocumentReference/_search',
    fhirJson,
    (req, _res, next) => {
      if (!req.is('application/x-www-form-urlencoded')) {
        next(new FacadeError('UNSUPPORTED_MEDIA_TYPE', 'POST _search takes an application/x-www-form-urlencoded body'));
        return;
      }
      next();
    },
    express.text({ type: 'application/x-www-form-urlencoded', limit: '64kb' }),
    route(search),
  );

  router.get(
    '/DocumentReference/:id',
    fhirJson,
    route(async (req, res) => {
      const ctx = requestContext(req, res, options.publicBaseUrl, services.logger, services.requestDeadlineMs);
      sendResource(res, 200, await readDocumentReference(services, ctx, String(req.params.id)));
    }),
  );

  router.get(
    '/Binary/:id',
    route(async (req, res) => {
      const ctx = requestContext(req, res, options.publicBaseUrl, services.logger, services.requestDeadlineMs);
      const id = String(req.params.id);
      const doc = await retrieveDocument(services, ctx, id);
      let representation: BinaryRepresentation;
      try {
        representation = chooseRepresentation(req, res, doc.mimeType);
      } catch (err) {
        doc.body.destroy();
        throw err;
      }
      if (representation === 'raw') await streamDocument(res, doc);
      else await sendBinaryResource(res, doc, id, options.maxBinaryResourceBytes);
    }),
  );

  imagingFhirRoutes(router, services, { publicBaseUrl: options.publicBaseUrl, fhirJson });

  const known = ['/metadata', '/DocumentReference', '/DocumentReference/_search', '/ImagingStudy', '/AuditEvent'];
  router.use((req, _res, next) => {
    const code = known.includes(req.path) ? 'METHOD_NOT_ALLOWED' : 'UNKNOWN_ROUTE';
    next(new FacadeError(code, `${req.method} ${req.baseUrl}${req.path} is not supported by this server`));
  });
  return router;
}
