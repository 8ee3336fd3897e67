import type { Request } from 'express';
import { FacadeError } from '../errors/facade-error';

export const FHIR_JSON = 'application/fhir+json';

const JSON_TYPES = new Set(['application/fhir+json', 'application/json', 'json', 'application/json+fhir']);
const XML_TYPES = new Set(['application/fhir+xml', 'application/xml', 'xml', 'text/xml', 'application/xml+fhir']);

/**
 * FHIR R4 http 3.1.0.1.10 content negotiation: `_format` wins over Accept. JSON only for now: FHIR XML gets a
 * 406 OperationOutcome (in JSON) until XML support lands.
 */
export function requireFhirJson(req: Request): void {
  const format = new URLSearchParams(req.originalUrl.split('?')[1] ?? '').get('_format');
  if (format !== null) {
    const type = format.split(';')[0]?.trim().toLowerCase() ?? '';
    if (JSON_TYPES.has(type)) return;
    throw new FacadeError('NOT_ACCEPTABLE', `_format=${format} is not supported: this server answers ${FHIR_JSON}`, { expression: '_format' });
  }
  const accept = req.get('Accept');
  if (accept === undefined || accept.trim() === '') return;
  const types = accept.split(',').map((part) => part.split(';')[0]?.trim().toLowerCase() ?? '');
  if (types.some((t) => JSON_TYPES.has(t) || t === '*/*' || t === 'application/*')) return;
  const why = types.some((t) => XML_TYPES.has(t)) ? 'FHIR XML is not supported yet' : `Accept '${accept}' cannot be satisfied`;
  throw new FacadeError('NOT_ACCEPTABLE', `${why}: this server answers ${FHIR_JSON}`, { expression: 'Accept' });
}
