import type { DocumentReference, OperationOutcomeIssue } from 'fhir/r4';
import { toDocumentReference } from '../fhir/document-reference';
import { catalogueIssue } from '../fhir/operation-outcome';
import { classifyTransportFailure, classifyXdsError } from '../mappings/xds-errors';
import { maskNhsNumbers } from '../nhs/nhs-number';
import type { FanOutResult } from '../xca/fan-out';
import type { AdhocQueryResponse, Community } from '../xca/model';
import { label } from './upstream-errors';

/**
 * One community's part of a search, interpreted through the XDS error table (mappings/xds-errors.json):
 * documents it gave, issues to report (warnings naming the community), and whether it failed outright.
 */
export interface CommunityAnswer {
  readonly community: Community;
  readonly documents: DocumentReference[];
  readonly issues: OperationOutcomeIssue[];
  readonly failed: boolean;
  readonly timedOut: boolean;
  /** The XDS error code or transport failure kind that best says what went wrong (for the audit trail). */
  readonly errorCode?: string;
}


/** Documents mapped between two yields to the event loop: a 1,000-entry answer must not stall other callers. */
const MAP_SLICE = 50;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function fromResponse(community: Community, response: AdhocQueryResponse, ctx: { nhsNumber: string; baseUrl: string }): Promise<CommunityAnswer> {
  const issues: OperationOutcomeIssue[] = [];
  const realErrors = response.errors.filter((e) => classifyXdsError(e.errorCode).meaning !== 'no-documents');
  for (const e of realErrors) {
    const entry = classifyXdsError(e.errorCode);
    const detail = maskNhsNumbers(`${e.errorCode}${e.codeContext ? `: ${e.codeContext}` : ''}`);
    issues.push(catalogueIssue(entry.errorCode, `${label(community)} reported ${detail}`, { severity: 'warning', issueCode: entry.issue }));
  }
  const failed = response.status === 'Failure' && realErrors.length > 0;
  const documents: DocumentReference[] = [];
  for (const [index, object] of response.extrinsicObjects.entries()) {
    if (index > 0 && index % MAP_SLICE === 0) await nextTurn();
    const result = toDocumentReference(object, { community, nhsNumber: ctx.nhsNumber, baseUrl: ctx.baseUrl });
    if (result.ok) documents.push(result.resource);
    else {
      issues.push(catalogueIssue('UPSTREAM_FAILED', `${label(community)} returned a document that was left out: ${maskNhsNumbers(result.reason)}`, { severity: 'warning', issueCode: 'incomplete' }));
    }
  }
  const errorCode = realErrors[0]?.errorCode;
  return { community, documents: failed ? [] : documents, issues, failed, timedOut: false, ...(errorCode ? { errorCode } : {}) };
}

/** Interpret one fan-out result. */
export async function toCommunityAnswer(result: FanOutResult<AdhocQueryResponse>, ctx: { nhsNumber: string; baseUrl: string }): Promise<CommunityAnswer> {
  if (result.ok) return fromResponse(result.community, result.value, ctx);
  const entry = classifyTransportFailure(result.error.kind);
  const issue = catalogueIssue(entry.errorCode, `${label(result.community)} failed: ${maskNhsNumbers(result.error.message)}`, { severity: 'warning', issueCode: entry.issue });
  return { community: result.community, documents: [], issues: [issue], failed: true, timedOut: result.error.kind === 'timeout', errorCode: result.error.kind };
}
