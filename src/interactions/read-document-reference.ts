import type { DocumentReference } from 'fhir/r4';
import { FacadeError } from '../errors/facade-error';
import { documentEntryKeys, toDocumentReference } from '../fhir/document-reference';
import { parseDocumentReferenceId } from '../fhir/ids';
import { isValidNhsNumber } from '../nhs/nhs-number';
import { getDocuments } from '../xca/iti38/client';
import type { Community, RimExtrinsicObject } from '../xca/model';
import { seenDocument } from './seen-documents';
import type { RequestContext, Services } from './services';
import { callUpstream, queryContact } from './upstream';
import { label, registryFailure, transportFailure } from './upstream-errors';

/** The configured community a resource id routes to; an id naming no configured community is unknown (404). */
export function communityOf(services: Services, key: string, id: string): Community {
  const community = services.communities.find((c) => c.key === key);
  if (!community) throw new FacadeError('NO_RECORD_FOUND', `No document with id '${id}' is known here`);
  return community;
}

/** ITI-38 GetDocuments for one entryUUID in the community the id names (ITI TF-2 3.18.4.1.2.3.7.5). */
export async function fetchEntry(services: Services, ctx: RequestContext, community: Community, entryUUID: string, id: string): Promise<RimExtrinsicObject> {
  const response = await callUpstream(
    services,
    ctx,
    community,
    'ITI-38',
    (call) => getDocuments(community, [entryUUID], { ...call, maxResponseBytes: services.maxUpstreamResponseBytes }),
    { contactOf: queryContact },
  ).catch((err: unknown) => {
    throw transportFailure(community, err);
  });
  const entry = response.extrinsicObjects.find((o) => o.id.toLowerCase() === entryUUID.toLowerCase());
  if (entry) return entry;
  if (response.errors.length > 0) throw registryFailure(community, response.errors);
  throw new FacadeError('NO_RECORD_FOUND', `No document with id '${id}' in ${label(community)}`);
}

/** DocumentReference read (MHD: a Document Responder supports read of the resources its search returns). */
export async function readDocumentReference(services: Services, ctx: RequestContext, id: string): Promise<DocumentReference> {
  const parts = parseDocumentReferenceId(id);
  const community = communityOf(services, parts.communityKey, id);
  // Seen by a recent search in this access context: no second national query.
  const cached = ctx.noCache ? undefined : await seenDocument(services, ctx, id);
  if (cached !== undefined) {
    await ctx.audit.begin(cached.subject?.identifier?.value);
    return cached;
  }
  await ctx.audit.begin();
  const entry = await fetchEntry(services, ctx, community, parts.entryUUID, id);
  const nhsNumber = documentEntryKeys(entry, community).nhsNumber;
  if (nhsNumber !== undefined) ctx.audit.patient(nhsNumber);
  if (nhsNumber === undefined || !isValidNhsNumber(nhsNumber)) throw new FacadeError('UPSTREAM_FAILED', `${label(community)} returned a document whose patient is not identified by NHS number`);
  const mapped = toDocumentReference(entry, { community, nhsNumber, baseUrl: ctx.baseUrl });
  if (!mapped.ok) throw new FacadeError('UPSTREAM_FAILED', `${label(community)} returned a document that cannot be mapped: ${mapped.reason}`);
  return mapped.resource;
}
