import type { Resource } from 'fhir/r4';
import { toFhirXml } from './xml';

/** The two FHIR formats this server writes (FHIR R4 http 3.1.0.1.10; IHE MHD requires both of a Document Responder). */
export type FhirFormat = 'json' | 'xml';

export const FHIR_JSON = 'application/fhir+json';
export const FHIR_XML = 'application/fhir+xml';

/** A resource already written in one format: what a cached page is kept as. */
export interface SerializedResource {
  readonly format: FhirFormat;
  readonly body: Buffer;
}

/** The Content-Type of a body in `format`. */
export function contentTypeOf(format: FhirFormat): string {
  return `${format === 'xml' ? FHIR_XML : FHIR_JSON}; charset=utf-8`;
}

/** Write `resource` as FHIR JSON or FHIR XML. */
export function serializeResource(resource: Resource, format: FhirFormat): string {
  return format === 'xml' ? toFhirXml(resource) : JSON.stringify(resource);
}
