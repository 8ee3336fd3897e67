import type { DocumentReference } from 'fhir/r4';
import { patientOfSearchKey, SEARCH_NAMESPACE, type CachedSearch } from './cached-search';
import type { RequestContext, Services } from './services';

/**
 * What a recent search saw, for the reads that follow it in the same access context: a DocumentReference read is
 * answered from the cached search without a second national query, and a Binary retrieve's audit record names
 * the patient before the community is asked. Each id a search returned (DocumentReference id and Binary id) gets
 * a small sealed pointer to that search's cache entry, rather than a copy of the document: 50 documents cost 100
 * tiny entries, written after the answer has gone.
 */
const SEEN_NAMESPACE = 'seen';

/** A search's pointer: the key material of the search (it names the patient; sealed like every entry). */
interface SeenPointer {
  readonly q: string;
}

/** Cache key material of something known by `id` in an access context (one caller's cache is never another's). */
export function documentKey(accessContext: string, id: string): string {
  return `${accessContext}\u0000${id}`;
}

/** The Binary id of a DocumentReference: the last segment of its attachment URL. */
export function binaryIdOf(doc: DocumentReference): string {
  return (doc.content[0]?.attachment.url ?? '').split('/').pop() ?? '';
}

/** Documents whose pointers are written in one turn of the event loop (each pointer is an HMAC and a seal). */
const POINTER_BATCH = 10;

/**
 * Remember the ids of `documents`, found by search `q`, for this access context: off the answer's path, and a few
 * at a time, so that requests arriving meanwhile are started between batches rather than after all of them.
 */
export function rememberSeen(services: Services, accessContext: string, q: string, documents: readonly DocumentReference[]): void {
  const pointer: SeenPointer = { q };
  const next = (from: number): void => {
    for (const doc of documents.slice(from, from + POINTER_BATCH)) {
      void services.cache.set(SEEN_NAMESPACE, documentKey(accessContext, doc.id ?? ''), pointer, services.cacheTtlSeconds);
      void services.cache.set(SEEN_NAMESPACE, documentKey(accessContext, binaryIdOf(doc)), pointer, services.cacheTtlSeconds);
    }
    if (from + POINTER_BATCH < documents.length) setImmediate(next, from + POINTER_BATCH);
  };
  setImmediate(next, 0);
}

async function pointerTo(services: Services, ctx: RequestContext, id: string): Promise<SeenPointer | undefined> {
  const pointer = await services.cache.get<SeenPointer>(SEEN_NAMESPACE, documentKey(ctx.accessContext, id));
  return typeof pointer?.q === 'string' ? pointer : undefined;
}

/** The DocumentReference `id` as a recent search in this access context returned it, if that search is still cached. */
export async function seenDocument(services: Services, ctx: RequestContext, id: string): Promise<DocumentReference | undefined> {
  const pointer = await pointerTo(services, ctx, id);
  if (pointer === undefined) return undefined;
  const search = await services.cache.get<CachedSearch>(SEARCH_NAMESPACE, pointer.q);
  return search?.documents.find((d) => d.id === id);
}

/** The NHS number of the search that returned `id` (a DocumentReference or Binary id) in this access context. */
export async function seenPatient(services: Services, ctx: RequestContext, id: string): Promise<string | undefined> {
  const pointer = await pointerTo(services, ctx, id);
  return pointer === undefined ? undefined : patientOfSearchKey(pointer.q);
}
