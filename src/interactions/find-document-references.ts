import type { Bundle, DocumentReference, OperationOutcome, OperationOutcomeIssue } from 'fhir/r4';
import { FacadeError } from '../errors/facade-error';
import { searchsetBundle } from '../fhir/bundle';
import { operationOutcome } from '../fhir/operation-outcome';
import { parseIti67Search, type Iti67Search, type SearchParamList } from '../search/iti67-search';
import { toStoredQuery } from '../search/to-stored-query';
import { fanOut } from '../xca/fan-out';
import { crossGatewayQuery } from '../xca/iti38/client';
import { toCommunityAnswer, type CommunityAnswer } from './community-answer';
import { pageLinks, pageSize, readCursor, type PageCursor } from './search-paging';
import type { RequestContext, Services } from './services';
import { callUpstream, queryContact } from './upstream';

/** What one search leaves in the cache: the merged documents and every community's outcome. */
export interface CachedSearch {
  readonly documents: DocumentReference[];
  readonly issues: OperationOutcomeIssue[];
}

/** Cache namespace of single documents seen by a search (DocumentReference read answers from it). */
export const DOCUMENT_NAMESPACE = 'docref';
const SEARCH_NAMESPACE = 'search';
/** Cache namespace: the patient of a Binary id seen by a search (so a retrieve's audit record names the patient). */
export const PATIENT_NAMESPACE = 'patient';

/** The Binary id of a DocumentReference: the last segment of its attachment URL. */
export function binaryIdOf(doc: DocumentReference): string {
  return (doc.content[0]?.attachment.url ?? '').split('/').pop() ?? '';
}

/** Cache key material of a document in an access context. */
export function documentKey(accessContext: string, id: string): string {
  return `${accessContext}\u0000${id}`;
}

/**
 * ITI-67 Find Document References as an XCA Initiating Gateway (MHD vol 1 33.6.2 grouped with XCA):
 * one ITI-38 per community in parallel, answers merged newest first, failures reported honestly. The merged result
 * is cached (single-flight) so paging and repeated reads do not query the national network again.
 */
export async function findDocumentReferences(
  services: Services,
  ctx: RequestContext,
  params: SearchParamList,
  options: { lenient: boolean },
): Promise<Bundle<DocumentReference | OperationOutcome>> {
  const value = (name: string): string | undefined => params.find(([k]) => k === name)?.[1];
  const token = value('_cursor');
  if (token !== undefined) return pageFromCursor(services, ctx, token);
  const count = pageSize(value('_count'));
  const { search, q, result } = await searchDocuments(services, ctx, params, options);
  const query = new URLSearchParams([...search.normalised.map(([k, v]): [string, string] => [k, v]), ['_count', String(count)]]);
  return page(services, ctx, result, { q, o: 0, c: count, x: ctx.accessContext }, `${ctx.baseUrl}/DocumentReference?${query.toString()}`);
}

/**
 * The whole (cached, single-flight) result of an ITI-67 search, before paging: used by DocumentReference search and
 * by ImagingStudy search (which adds the KOS format to the parameters).
 */
export async function searchDocuments(
  services: Services,
  ctx: RequestContext,
  params: SearchParamList,
  options: { lenient: boolean },
): Promise<{ search: Iti67Search; q: string; result: CachedSearch }> {
  const search = parseIti67Search(params, options);
  await ctx.audit.begin(search.nhsNumber);
  const q = JSON.stringify({ v: 1, search: { p: search.nhsNumber, q: search.storedQuery, s: search.slots }, c: services.communities.map((c) => c.homeCommunityId).sort(), x: ctx.accessContext });
  const { value: result, fromCache } = await services.cache.singleFlight(SEARCH_NAMESPACE, q, () => runSearch(services, ctx, search), {
    fresh: ctx.noCache,
    ttlSeconds: services.cacheTtlSeconds,
  });
  services.metrics.recordCacheOperation(SEARCH_NAMESPACE, fromCache ? 'hit' : 'miss');
  return { search, q, result };
}

/** A page after the first: served from the cache only; an expired search is 410 (search again). */
async function pageFromCursor(services: Services, ctx: RequestContext, token: string): Promise<Bundle<DocumentReference | OperationOutcome>> {
  const cursor = readCursor(token, services.cursorSecret, ctx.accessContext);
  await ctx.audit.begin((JSON.parse(cursor.q) as { search?: { p?: string } }).search?.p);
  const result = await services.cache.get<CachedSearch>(SEARCH_NAMESPACE, cursor.q);
  if (result === undefined) throw new FacadeError('SEARCH_EXPIRED', 'This search has expired from the cache: run the search again');
  return page(services, ctx, result, cursor, `${ctx.baseUrl}/DocumentReference?_cursor=${token}`);
}

function page(services: Services, ctx: RequestContext, result: CachedSearch, cursor: PageCursor, selfUrl: string): Bundle<DocumentReference | OperationOutcome> {
  return searchsetBundle({
    baseUrl: ctx.baseUrl,
    matches: result.documents.slice(cursor.o, cursor.o + cursor.c),
    total: result.documents.length,
    links: pageLinks({ baseUrl: ctx.baseUrl, selfUrl, cursor, total: result.documents.length, secret: services.cursorSecret }),
    ...(result.issues.length > 0 ? { outcome: operationOutcome(result.issues) } : {}),
  });
}

/** The upstream part: fan out, interpret, merge; remember each document for reads in this access context. */
async function runSearch(services: Services, ctx: RequestContext, search: Iti67Search): Promise<CachedSearch> {
  const results = await fanOut(
    services.communities,
    (community, signal) =>
      callUpstream(
        services,
        ctx,
        community,
        'ITI-38',
        (call) => crossGatewayQuery(community, toStoredQuery(search, community, services.patientAssigningAuthority), { ...call, maxResponseBytes: services.maxUpstreamResponseBytes }),
        { signal, outcomeOf: (r) => (r.status === 'Failure' ? 'registry_error' : 'success'), contactOf: queryContact },
      ),
    { signal: ctx.signal },
  );
  const answers: CommunityAnswer[] = [];
  for (const r of results) answers.push(await toCommunityAnswer(r, { nhsNumber: search.nhsNumber, baseUrl: ctx.baseUrl }));
  recordHealth(services, answers);
  ctx.logger.info(
    { communities: results.map((r, i) => ({ community: r.community.homeCommunityId, failed: answers[i]?.failed, documents: answers[i]?.documents.length, ms: r.durationMs })) },
    'ITI-38 fan-out done',
  );
  const issues = answers.flatMap((a) => a.issues);
  if (answers.length > 0 && answers.every((a) => a.failed)) throw allFailed(answers, issues);
  const documents = mergeNewestFirst(answers);
  // Written behind the answer, not before it (100 encrypted writes for 50 documents cost milliseconds): a read
  // that arrives first simply misses and asks the community; Redis keeps one connection's commands in order.
  void Promise.all(
    documents.flatMap((d) => [
      services.cache.set(DOCUMENT_NAMESPACE, documentKey(ctx.accessContext, d.id ?? ''), d, services.cacheTtlSeconds),
      services.cache.set(PATIENT_NAMESPACE, documentKey(ctx.accessContext, binaryIdOf(d)), search.nhsNumber, services.cacheTtlSeconds),
    ]),
  );
  return { documents, issues };
}

function recordHealth(services: Services, answers: readonly CommunityAnswer[]): void {
  for (const a of answers) {
    if (a.failed) services.health.recordFailure(a.community, a.issues[0]?.diagnostics ?? 'failed');
    else services.health.recordSuccess(a.community);
  }
}

/** Every community failed: 504 if all timed out, else 502, with every community's reason. */
function allFailed(answers: readonly CommunityAnswer[], issues: readonly OperationOutcomeIssue[]): FacadeError {
  const code = answers.every((a) => a.timedOut) ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_FAILED';
  const details = issues.map((i) => i.diagnostics ?? '').filter((d) => d !== '');
  return new FacadeError(code, `None of the ${answers.length} communities could answer`, { details });
}

/** Merge, drop duplicates (same id), sort by date newest first, ties by id for a stable order. */
function mergeNewestFirst(answers: readonly CommunityAnswer[]): DocumentReference[] {
  const byId = new Map<string, DocumentReference>();
  for (const doc of answers.flatMap((a) => a.documents)) if (doc.id !== undefined && !byId.has(doc.id)) byId.set(doc.id, doc);
  const when = (d: DocumentReference): number => Date.parse(d.date ?? d.content[0]?.attachment.creation ?? '') || 0;
  return [...byId.values()].sort((a, b) => when(b) - when(a) || (a.id ?? '').localeCompare(b.id ?? ''));
}
