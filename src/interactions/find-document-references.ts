import type { Bundle, DocumentReference, OperationOutcome } from 'fhir/r4';
import { FacadeError } from '../errors/facade-error';
import { searchsetBundle } from '../fhir/bundle';
import { catalogueIssue, operationOutcome } from '../fhir/operation-outcome';
import { parseIti67Search, type SearchParamList } from '../search/iti67-search';
import { toStoredQuery } from '../search/to-stored-query';
import { fanOut } from '../xca/fan-out';
import { crossGatewayQuery } from '../xca/iti38/client';
import { toCommunityAnswer, type CommunityAnswer } from './community-answer';
import type { RequestContext, Services } from './services';

/**
 * ITI-67 Find Document References as an XCA Initiating Gateway (MHD vol 1 33.6.2 grouped with XCA):
 * one ITI-38 per community in parallel, answers merged newest first, failures reported honestly.
 */
export async function findDocumentReferences(
  services: Services,
  ctx: RequestContext,
  params: SearchParamList,
  options: { lenient: boolean },
): Promise<Bundle<DocumentReference | OperationOutcome>> {
  const search = parseIti67Search(params, options);
  const results = await fanOut(
    services.communities,
    (community, signal) =>
      crossGatewayQuery(community, toStoredQuery(search, community, services.patientAssigningAuthority), {
        signal,
        maxResponseBytes: services.maxUpstreamResponseBytes,
      }),
    { signal: ctx.signal },
  );
  const answers = results.map((r) => toCommunityAnswer(r, { nhsNumber: search.nhsNumber, baseUrl: ctx.baseUrl }));
  recordHealth(services, answers);
  ctx.logger.info(
    { communities: answers.map((a) => ({ community: a.community.homeCommunityId, failed: a.failed, documents: a.documents.length, ms: durationOf(results, a) })) },
    'ITI-38 fan-out done',
  );
  const issues = answers.flatMap((a) => a.issues);
  if (answers.length > 0 && answers.every((a) => a.failed)) {
    throw allFailed(answers, issues);
  }
  const matches = mergeNewestFirst(answers);
  const selfUrl = `${ctx.baseUrl}/DocumentReference?${new URLSearchParams(search.normalised.map(([k, v]): [string, string] => [k, v])).toString()}`;
  return searchsetBundle({
    baseUrl: ctx.baseUrl,
    matches,
    total: matches.length,
    links: [{ relation: 'self', url: selfUrl }],
    ...(issues.length > 0 ? { outcome: operationOutcome(issues) } : {}),
  });
}

function durationOf(results: ReadonlyArray<{ community: { homeCommunityId: string }; durationMs: number }>, a: CommunityAnswer): number | undefined {
  return results.find((r) => r.community.homeCommunityId === a.community.homeCommunityId)?.durationMs;
}

function recordHealth(services: Services, answers: readonly CommunityAnswer[]): void {
  for (const a of answers) {
    if (a.failed) services.health.recordFailure(a.community, a.issues[0]?.diagnostics ?? 'failed');
    else services.health.recordSuccess(a.community);
  }
}

/** Every community failed: 504 if all timed out, else 502, with every community's reason. */
function allFailed(answers: readonly CommunityAnswer[], issues: ReturnType<typeof catalogueIssue>[]): FacadeError {
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
