import type { AdhocQueryResponse, Community, EntryReader, IdentifiedEntry, RimExtrinsicObject, StoredQuery } from '../model';
import { exchangeIti38, type Iti38CallContext } from './exchange';
import { getDocumentsBefore, mergeResponses } from './get-documents';
import { keepObject } from './response-parser';

export type { Iti38CallContext } from './exchange';

/**
 * ITI-38 Cross Gateway Query to one community (ITI TF-2 3.38), within community.timeoutMs overall. When the
 * answer holds ObjectRefs, they are resolved with GetDocuments (LeafClass) in batches and merged in.
 * Registry errors do not throw: status and errors are in the result for the caller to interpret. Transport,
 * SOAP Fault and parse problems throw XcaError. With `read`, what it makes of each ExtrinsicObject (of the answer
 * and of the GetDocuments answers alike) is kept while the answer is parsed, instead of the object.
 */
export function crossGatewayQuery(community: Community, query: StoredQuery, ctx: Iti38CallContext): Promise<AdhocQueryResponse>;
export function crossGatewayQuery<E extends IdentifiedEntry>(community: Community, query: StoredQuery, ctx: Iti38CallContext, read: EntryReader<E>): Promise<AdhocQueryResponse<E>>;
export function crossGatewayQuery<E extends IdentifiedEntry>(community: Community, query: StoredQuery, ctx: Iti38CallContext, read?: EntryReader<E>): Promise<AdhocQueryResponse<E | RimExtrinsicObject>> {
  return queryReading<E | RimExtrinsicObject>(community, query, ctx, read ?? keepObject);
}

async function queryReading<E extends IdentifiedEntry>(community: Community, query: StoredQuery, ctx: Iti38CallContext, read: EntryReader<E>): Promise<AdhocQueryResponse<E>> {
  const deadline = Date.now() + community.timeoutMs;
  const first = await exchangeIti38(community, query, ctx, deadline, read);
  if (first.objectRefs.length === 0) return first;
  const resolved = await getDocumentsBefore(community, first.objectRefs, ctx, deadline, read);
  const merged = mergeResponses([first, resolved]);
  // A ref counts as resolved once its ExtrinsicObject came back; the rest stay visible to the caller.
  const found = new Set(merged.extrinsicObjects.map((eo) => eo.id));
  return { ...merged, objectRefs: first.objectRefs.filter((ref) => !found.has(ref.id)) };
}

/**
 * GetDocuments (ITI TF-2 3.18.4.1.2.3.7.5) over ITI-38 for the given entryUUIDs, LeafClass, batched per the
 * stored-queries table; within community.timeoutMs overall. Used for single-document reads.
 */
export async function getDocuments(community: Community, entryUUIDs: readonly string[], ctx: Iti38CallContext): Promise<AdhocQueryResponse> {
  const deadline = Date.now() + community.timeoutMs;
  return getDocumentsBefore(community, entryUUIDs.map((id) => ({ id })), ctx, deadline, keepObject);
}
