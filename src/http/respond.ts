import type { Response } from 'express';
import type { Resource } from 'fhir/r4';
import { contentTypeOf, serializeResource, type SerializedResource } from '../fhir/serialize';
import { fhirFormatOf } from './negotiation';

/** Write a FHIR resource in the negotiated format (application/fhir+json or application/fhir+xml). */
export function sendResource(res: Response, status: number, resource: Resource): void {
  const format = fhirFormatOf(res);
  res.status(status).type(contentTypeOf(format)).send(serializeResource(resource, format));
}

/** Write a resource that was serialised before (a cached page), in the format it was written in. */
export function sendSerialized(res: Response, status: number, serialized: SerializedResource): void {
  res.status(status).type(contentTypeOf(serialized.format)).send(serialized.body);
}
