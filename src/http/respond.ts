import type { Response } from 'express';
import type { Resource } from 'fhir/r4';
import { contentTypeOf, serializeResource, type SerializedResource } from '../fhir/serialize';
import { fhirFormatOf } from './negotiation';

/** Write a FHIR resource in the negotiated format (application/fhir+json or application/fhir+xml). */
export function sendResource(res: Response, status: number, resource: Resource): void {
  const format = fhirFormatOf(res);
  res.status(status).type(contentTypeOf(format)).send(serializeResource(resource, format));
}

/**
 * Write a resource that was serialised before (a cached page), in the format it was written in. The bytes go out
 * as they are (no ETag: app.ts turns it off for every response), so Express's send() has nothing to add.
 */
export function sendSerialized(res: Response, status: number, serialized: SerializedResource): void {
  res.statusCode = status;
  res.setHeader('Content-Type', contentTypeOf(serialized.format));
  res.setHeader('Content-Length', serialized.body.length);
  if (res.req.method === 'HEAD') res.end();
  else res.end(serialized.body);
}
