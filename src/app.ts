import express, { type Express } from 'express';
import { FacadeError } from './errors/facade-error';
import { correlation } from './http/correlation';
import { errorHandler } from './http/error-handler';
import { requestLog } from './http/request-log';
import { dicomWebRouter } from './http/imaging-routes';
import { fhirRouter } from './http/routes';
import type { Services } from './interactions/services';
import type { SecurityServices } from './security/assemble';
import { authenticate, scopeAny } from './http/auth';
import { audited } from './http/audit';

export interface AppOptions {
  readonly publicBaseUrl: string | undefined;
  readonly version: string;
  readonly mode: 'sandbox' | 'configured';
  readonly maxBinaryResourceBytes: number;
}

/** Express wiring only: ids, logs, the FHIR router, health endpoints, the one error handler. */
export function buildApp(services: Services, security: SecurityServices, options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // No ETag: hashing every searchset (often 100+ KB) costs more than it saves; FHIR clients page with cursors.
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(correlation);
  app.use(requestLog(services.logger, services.metrics));

  // Prometheus metrics: open like /_status; no label carries patient data (route patterns and community names only).
  app.get('/metrics', (_req, res, next) => {
    services.metrics.metricsHandler().then((m) => res.type(m.contentType).send(m.body), next);
  });
  app.get('/_ping', (_req, res) => {
    res.json({ status: 'pass' });
  });
  app.get('/_status', (_req, res) => {
    const cache = services.cache.status();
    const certificates = security.certificates.snapshot();
    const ready = certificates.every((c) => c.usable);
    res.status(ready ? 200 : 503).json({
      status: ready ? 'pass' : 'fail',
      mode: options.mode,
      config: 'loaded',
      cache: { backend: cache.backend, state: cache.state },
      certificates,
      communities: services.health.snapshot().map((c) => ({ ...c, circuit: services.breakers.for(c.name).state() })),
    });
  });
  app.use('/fhir', fhirRouter(services, security, { ...options, auditFile: security.auditFile }));
  app.use(
    '/dicomweb',
    authenticate(security.inbound),
    scopeAny(['ImagingStudy', 'Binary'], 'read'),
    audited(security.audit, { resourceType: 'ImagingStudy', interaction: 'read', publicBaseUrl: options.publicBaseUrl, logger: services.logger }),
    dicomWebRouter(services, { publicBaseUrl: options.publicBaseUrl }),
  );
  app.use((req, _res, next) => {
    next(new FacadeError('UNKNOWN_ROUTE', `${req.method} ${req.path} is not supported by this server`));
  });
  app.use(errorHandler(services.logger));
  return app;
}
