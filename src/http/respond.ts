import type { Response } from 'express';
import type { Resource } from 'fhir/r4';
import { FHIR_JSON } from './negotiation';

/** Write a FHIR resource as application/fhir+json. */
export function sendResource(res: Response, status: number, resource: Resource): void {
  res.status(status).type(`${FHIR_JSON}; charset=utf-8`).send(JSON.stringify(resource));
}
