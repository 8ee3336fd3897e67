import { storedQueries } from '../../mappings/stored-queries';
import type { AdhocQueryResponse, Community, EntryReader, IdentifiedEntry, RegistryResponseStatus, RimObjectRef, StoredQuery } from '../model';
import { OBJECT_REF_CONCURRENCY } from '../soap/constants';
import { exchangeIti38, type Iti38CallContext } from './exchange';

/**
 * Resolving ObjectRefs with GetDocuments (ITI TF-2 3.18.4.1.2.3.7.5, LeafClass) over ITI-38. Query id, slot name
 * and batch size come from mappings/stored-queries.json. Each batch carries `home` (ITI TF-2 3.38.4.1.2.1): the
 * ObjectRef's own home when the responder stated one (a gateway may front several communities), else the
 * community's.
 */

/** Used when the table gives GetDocuments no maxIdsPerQuery. */
const DEFAULT_IDS_PER_QUERY = 50;

interface GetDocumentsPlan {
  readonly queryId: string;
  readonly slot: string;
  readonly batchSize: number;
}

function plan(): GetDocumentsPlan {
  const def = storedQueries().storedQueries.GetDocuments;
  if (def.entryUuidSlot === undefined) throw new Error('mappings/stored-queries.json: GetDocuments needs an entryUuidSlot');
  return { queryId: def.id, slot: def.entryUuidSlot, batchSize: def.maxIdsPerQuery ?? DEFAULT_IDS_PER_QUERY };
}

/** An ebRS list value `('a','b')`; a quote inside a value is doubled (ITI TF-2 3.18.4.1.2.3.5). */
export function ebrsList(values: readonly string[]): string {
  return `(${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')})`;
}

/** Batches of GetDocuments queries: grouped by home, then cut to the table's maximum number of ids. */
export function getDocumentsQueries(community: Community, refs: readonly RimObjectRef[]): StoredQuery[] {
  const { queryId, slot, batchSize } = plan();
  const byHome = new Map<string, string[]>();
  for (const ref of refs) {
    const home = ref.home ?? community.homeCommunityId;
    const ids = byHome.get(home) ?? [];
    if (!ids.includes(ref.id)) ids.push(ref.id);
    byHome.set(home, ids);
  }
  const queries: StoredQuery[] = [];
  for (const [home, ids] of byHome) {
    for (let i = 0; i < ids.length; i += batchSize) {
      const batch = ids.slice(i, i + batchSize);
      queries.push({ queryId, returnType: 'LeafClass', homeCommunityId: home, slots: [{ name: slot, values: [ebrsList(batch)] }] });
    }
  }
  return queries;
}

/** Worst-of for "did the query work": all Success → Success, all Failure → Failure, anything mixed → PartialSuccess. */
function combineStatus(statuses: readonly RegistryResponseStatus[]): RegistryResponseStatus {
  if (statuses.every((s) => s === 'Success')) return 'Success';
  if (statuses.every((s) => s === 'Failure')) return 'Failure';
  return 'PartialSuccess';
}

/** Merge several answers of one community: documents de-duplicated by id (first wins), every error kept. */
export function mergeResponses<E extends IdentifiedEntry>(parts: readonly AdhocQueryResponse<E>[]): AdhocQueryResponse<E> {
  const byId = new Map<string, E>();
  for (const eo of parts.flatMap((p) => p.extrinsicObjects)) if (!byId.has(eo.id)) byId.set(eo.id, eo);
  return {
    status: combineStatus(parts.map((p) => p.status)),
    extrinsicObjects: [...byId.values()],
    objectRefs: parts.flatMap((p) => p.objectRefs),
    errors: parts.flatMap((p) => p.errors),
  };
}

/**
 * Run the GetDocuments batches for `refs` (a few at a time, OBJECT_REF_CONCURRENCY) before `deadline` and merge
 * them. The first failing batch cancels the others and its XcaError is thrown. `read` as for exchangeIti38.
 */
export async function getDocumentsBefore<E extends IdentifiedEntry>(
  community: Community,
  refs: readonly RimObjectRef[],
  ctx: Iti38CallContext,
  deadline: number,
  read: EntryReader<E>,
): Promise<AdhocQueryResponse<E>> {
  const queries = getDocumentsQueries(community, refs);
  if (queries.length === 0) return { status: 'Success', extrinsicObjects: [], objectRefs: [], errors: [] };
  const siblings = new AbortController();
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, siblings.signal]) : siblings.signal;
  const results: AdhocQueryResponse<E>[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < queries.length) {
      const index = next++;
      const query = queries[index];
      if (query === undefined) return;
      try {
        results[index] = await exchangeIti38(community, query, { ...ctx, signal }, deadline, read);
      } catch (err) {
        siblings.abort(err);
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(OBJECT_REF_CONCURRENCY, queries.length) }, worker));
  return mergeResponses(results);
}
