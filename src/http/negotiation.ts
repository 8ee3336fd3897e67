import type { Request, Response } from 'express';
import { FacadeError } from '../errors/facade-error';

import { FHIR_JSON, FHIR_XML, type FhirFormat } from '../fhir/serialize';

export { FHIR_JSON, FHIR_XML, type FhirFormat };

const JSON_TYPES = new Set(['application/fhir+json', 'application/json', 'json', 'application/json+fhir']);
const XML_TYPES = new Set(['application/fhir+xml', 'application/xml', 'xml', 'text/xml', 'application/xml+fhir']);

function formatOf(type: string): FhirFormat | undefined {
  if (JSON_TYPES.has(type)) return 'json';
  if (XML_TYPES.has(type)) return 'xml';
  return undefined;
}

/**
 * Content negotiation: `_format` wins over Accept; without either, JSON. Anything neither JSON nor XML is 406.
 * The chosen format is kept on the response so errors are written in it too.
 */
export function negotiateFhirFormat(req: Request, res: Response): FhirFormat {
  const format = new URLSearchParams(req.originalUrl.split('?')[1] ?? '').get('_format');
  let chosen: FhirFormat | undefined;
  if (format !== null) {
    chosen = formatOf(format.split(';')[0]?.trim().toLowerCase() ?? '');
    if (chosen === undefined) throw new FacadeError('NOT_ACCEPTABLE', `_format=${format} is not supported: use json or xml`, { expression: '_format' });
  } else {
    const accept = req.get('Accept');
    if (accept === undefined || accept.trim() === '') chosen = 'json';
    else {
      const best = req.accepts([FHIR_JSON, FHIR_XML, 'application/json', 'application/xml', 'text/xml']);
      chosen = best === false ? undefined : formatOf(best);
      if (chosen === undefined) throw new FacadeError('NOT_ACCEPTABLE', `Accept '${accept}' cannot be satisfied: this server answers ${FHIR_JSON} and ${FHIR_XML}`, { expression: 'Accept' });
    }
  }
  res.locals.fhirFormat = chosen;
  return chosen;
}

/** The format negotiated for this response (JSON until negotiation ran). */
export function fhirFormatOf(res: Response): FhirFormat {
  return (res.locals.fhirFormat as FhirFormat | undefined) ?? 'json';
}
