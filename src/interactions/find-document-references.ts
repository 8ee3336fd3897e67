import { randomUUID } from 'node:crypto';
import type { DocumentReference, OperationOutcomeIssue } from 'fhir/r4';
import { FacadeError } from '../errors/facade-error';
import { searchsetBundle } from '../fhir/bundle';
import { operationOutcome } from '../fhir/operation-outcome';
import { serializeResource, type SerializedResource } from '../fhir/serialize';
import { parseIti67Search, type Iti67Search, type SearchParamList } from '../search/iti67-search';
import { toStoredQuery } from '../search/to-stored-query';
import { fanOutSettling } from '../xca/fan-out';
import { crossGatewayQuery } from '../xca/iti38/client';
import { mapEntries, toCommunityAnswer, type CommunityAnswer } from './community-answer';
import { patientOfSearchKey, SEARCH_NAMESPACE, searchKeyOf, type CachedSearch } from './cached-search';
import { rememberSeen } from './seen-documents';
import { pageLinks, pageSize, readCursor, type PageCursor } from './search-paging';
import type { RequestContext, Services } from './services';
import { callUpstream, queryContact } from './upstream';

/** Metrics name of the rendered-page cache (cache/page-cache.ts). */
const PAGE_NAMESPACE = 'page';

/**
 * ITI-67 Find Document References as an XCA Initiating Gateway (MHD vol 1 33.6.2 grouped with XCA):
 * one ITI-38 per community in parallel, answers merged newest first, failures reported honestly. The merged result
 * is cached (single-flight) so paging and repeated reads do not query the national network again, and each page
 * once rendered is kept (sealed, in this process) so a repeated page is not rendered again.
 * Answers the searchset Bundle serialised in the request's format.
 */
export async function findDocumentReferences(
  services: Services,
  ctx: RequestContext,
  params: SearchParamList,
  options: { lenient: boolean },
): Promise<SerializedResource> {
  const value = (name: string): string | undefined => params.find(([k]) => k === name)?.[1];
  const token = value('_cursor');
  if (token !== undefined) return pageFromCursor(services, ctx, token);
  const count = pageSize(value('_count'));
  const { search, q } = await beginSearch(services, ctx, params, options);
  const query = new URLSearchParams([...search.normalised.map(([k, v]): [string, string] => [k, v]), ['_count', String(count)]]);
  const selfUrl = `${ctx.baseUrl}/DocumentReference?${query.toString()}`;
  const pageKey = pageKeyOf(ctx, selfUrl, 0, count);
  if (!ctx.noCache) {
    const body = services.pages.get(q, pageKey);
    if (body !== undefined) {
      services.metrics.recordCacheOperation(SEARCH_NAMESPACE, 'hit');
      services.metrics.recordCacheOperation(PAGE_NAMESPACE, 'hit');
      return { format: ctx.format, body };
    }
  }
  const result = await cachedSearch(services, ctx, search, q);
  return renderPage(services, ctx, result, { q, o: 0, c: count, x: ctx.accessContext, r: result.id }, selfUrl, pageKey);
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
  const { search, q } = await beginSearch(services, ctx, params, options);
  return { search, q, result: await cachedSearch(services, ctx, search, q) };
}

/** Read the parameters (400 before anything else), record the intent naming the patient, key the search. */
async function beginSearch(services: Services, ctx: RequestContext, params: SearchParamList, options: { lenient: boolean }): Promise<{ search: Iti67Search; q: string }> {
  const search = parseIti67Search(params, options);
  await ctx.audit.begin(search.nhsNumber);
  return { search, q: searchKeyOf(search, services.communities, ctx.accessContext) };
}

async function cachedSearch(services: Services, ctx: RequestContext, search: Iti67Search, q: string): Promise<CachedSearch> {
  const { value: result, fromCache } = await services.cache.singleFlight(SEARCH_NAMESPACE, q, () => runSearch(services, ctx, search, q), {
    fresh: ctx.noCache,
    ttlSeconds: services.cacheTtlSeconds,
    // Wait for another replica's identical search for as long as this request may last: it keeps its lock alive while
    // the communities answer, and querying them again meanwhile is what single-flight is there to prevent.
    maxWaitMs: Math.max(0, ctx.deadline - Date.now()),
  });
  services.metrics.recordCacheOperation(SEARCH_NAMESPACE, fromCache ? 'hit' : 'miss');
  return result;
}

/** What tells one rendered page of a result from another: format, self link (and so the base URL), offset, size. */
function pageKeyOf(ctx: RequestContext, selfUrl: string, offset: number, count: number): string {
  return JSON.stringify([ctx.format, selfUrl, offset, count]);
}

/** A page after the first: served from the cache only; an expired search is 410 (search again). */
async function pageFromCursor(services: Services, ctx: RequestContext, token: string): Promise<SerializedResource> {
  const cursor = readCursor(token, services.cursorSecret, ctx.accessContext);
  await ctx.audit.begin(patientOfSearchKey(cursor.q));
  const selfUrl = `${ctx.baseUrl}/DocumentReference?_cursor=${token}`;
  const pageKey = pageKeyOf(ctx, selfUrl, cursor.o, cursor.c);
  const body = services.pages.get(cursor.q, pageKey);
  if (body !== undefined) {
    services.metrics.recordCacheOperation(PAGE_NAMESPACE, 'hit');
    return { format: ctx.format, body };
  }
  // A cursor may reach this replica while the replica that answered the first page is still storing the result.
  const result = await services.cache.get<CachedSearch>(SEARCH_NAMESPACE, cursor.q, { awaitProducer: true });
  if (result === undefined) throw new FacadeError('SEARCH_EXPIRED', 'This search has expired from the cache: run the search again');
  // A cursor of an older result of the same search (refreshed since) pages through the current result.
  return renderPage(services, ctx, result, { ...cursor, r: result.id }, selfUrl, pageKey);
}

/** Build, serialise and keep one page of a result. */
function renderPage(services: Services, ctx: RequestContext, result: CachedSearch, cursor: PageCursor, selfUrl: string, pageKey: string): SerializedResource {
  services.metrics.recordCacheOperation(PAGE_NAMESPACE, 'miss');
  const bundle = searchsetBundle({
    baseUrl: ctx.baseUrl,
    id: result.id,
    lastUpdated: result.at,
    matches: result.documents.slice(cursor.o, cursor.o + cursor.c),
    total: result.documents.length,
    links: pageLinks({ baseUrl: ctx.baseUrl, selfUrl, cursor, total: result.documents.length, secret: services.cursorSecret }),
    ...(result.issues.length > 0 ? { outcome: operationOutcome(result.issues) } : {}),
  });
  const body = Buffer.from(serializeResource(bundle, ctx.format), 'utf8');
  // Kept for this result: a page of a newer result supersedes it, and it never replaces a newer result's pages.
  services.pages.set(cursor.q, pageKey, body, result.expiresAt - Date.now(), result);
  return { format: ctx.format, body };
}

/** The upstream part: fan out, interpret, merge; remember each document for reads in this access context. */
async function runSearch(services: Services, ctx: RequestContext, search: Iti67Search, q: string): Promise<CachedSearch> {
  // Each community's answer is interpreted (mapped to DocumentReferences) as soon as it arrives, not once all have.
  const settled = await fanOutSettling(
    services.communities,
    (community, signal) =>
      callUpstream(
        services,
        ctx,
        community,
        'ITI-38',
        (call) =>
          crossGatewayQuery(
            community,
            toStoredQuery(search, community, services.patientAssigningAuthority),
            { ...call, maxResponseBytes: services.maxUpstreamResponseBytes },
            mapEntries(community, { nhsNumber: search.nhsNumber, baseUrl: ctx.baseUrl }),
          ),
        { signal, outcomeOf: (r) => (r.status === 'Failure' ? 'registry_error' : 'success'), contactOf: queryContact },
      ),
    async (result) => ({ result, answer: toCommunityAnswer(result) }),
    { signal: ctx.signal },
  );
  const results = settled.map((s) => s.result);
  const answers: CommunityAnswer[] = settled.map((s) => s.answer);
  recordHealth(services, answers);
  ctx.logger.info(
    { communities: results.map((r, i) => ({ community: r.community.homeCommunityId, failed: answers[i]?.failed, documents: answers[i]?.documents.length, ms: r.durationMs })) },
    'ITI-38 fan-out done',
  );
  const issues = answers.flatMap((a) => a.issues);
  if (answers.length > 0 && answers.every((a) => a.failed)) throw allFailed(answers, issues);
  const documents = mergeNewestFirst(answers);
  rememberSeen(services, ctx.accessContext, q, documents);
  const at = new Date();
  return { id: randomUUID(), at: at.toISOString(), expiresAt: at.getTime() + services.cacheTtlSeconds * 1000, documents, issues };
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
