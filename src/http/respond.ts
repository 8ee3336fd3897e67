import type { Response } from 'express';
import type { Resource } from 'fhir/r4';
import { toFhirXml } from '../fhir/xml';
import { FHIR_JSON, FHIR_XML, fhirFormatOf } from './negotiation';

/** Write a FHIR resource in the negotiated format (application/fhir+json or application/fhir+xml). */
export function sendResource(res: Response, status: number, resource: Resource): void {
  if (fhirFormatOf(res) === 'xml') {
    const xml = toFhirXml(resource);
    res.status(status).type(`${FHIR_XML}; charset=utf-8`).send(xml);
    return;
  }
  res.status(status).type(`${FHIR_JSON}; charset=utf-8`).send(JSON.stringify(resource));
}
