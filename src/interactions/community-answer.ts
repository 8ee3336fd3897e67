import type { DocumentReference, OperationOutcomeIssue } from 'fhir/r4';
import { toDocumentReference, type DocumentReferenceResult } from '../fhir/document-reference';
import { catalogueIssue } from '../fhir/operation-outcome';
import { classifyTransportFailure, classifyXdsError } from '../mappings/xds-errors';
import { maskNhsNumbers } from '../nhs/nhs-number';
import type { FanOutResult } from '../xca/fan-out';
import type { AdhocQueryResponse, Community, EntryReader } from '../xca/model';
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

/** One DocumentEntry of an answer, mapped while the answer was parsed (the model is not kept). */
export interface MappedEntry {
  readonly id: string;
  readonly mapped: DocumentReferenceResult;
}

/**
 * The reader a search hands to the ITI-38 client: each ExtrinsicObject becomes its DocumentReference (or the reason
 * it cannot) while the answer is still being parsed, a few at a time, so a 1,000-entry answer is never held whole as
 * a model (and the mapping runs between chunks of the answer, so it never stalls other callers for long either).
 */
export function mapEntries(community: Community, ctx: { nhsNumber: string; baseUrl: string }): EntryReader<MappedEntry> {
  const mapCtx = { community, nhsNumber: ctx.nhsNumber, baseUrl: ctx.baseUrl };
  return (entry) => ({ id: entry.id, mapped: toDocumentReference(entry, mapCtx) });
}

function fromResponse(community: Community, response: AdhocQueryResponse<MappedEntry>): CommunityAnswer {
  const issues: OperationOutcomeIssue[] = [];
  const realErrors = response.errors.filter((e) => classifyXdsError(e.errorCode).meaning !== 'no-documents');
  for (const e of realErrors) {
    const entry = classifyXdsError(e.errorCode);
    const detail = maskNhsNumbers(`${e.errorCode}${e.codeContext ? `: ${e.codeContext}` : ''}`);
    issues.push(catalogueIssue(entry.errorCode, `${label(community)} reported ${detail}`, { severity: 'warning', issueCode: entry.issue }));
  }
  const failed = response.status === 'Failure' && realErrors.length > 0;
  const documents: DocumentReference[] = [];
  for (const { mapped: result } of response.extrinsicObjects) {
    if (result.ok) documents.push(result.resource);
    else {
      issues.push(catalogueIssue('UPSTREAM_FAILED', `${label(community)} returned a document that was left out: ${maskNhsNumbers(result.reason)}`, { severity: 'warning', issueCode: 'incomplete' }));
    }
  }
  const errorCode = realErrors[0]?.errorCode;
  return { community, documents: failed ? [] : documents, issues, failed, timedOut: false, ...(errorCode ? { errorCode } : {}) };
}

/** Interpret one fan-out result (an answer read with {@link mapEntries}). */
export function toCommunityAnswer(result: FanOutResult<AdhocQueryResponse<MappedEntry>>): CommunityAnswer {
  if (result.ok) return fromResponse(result.community, result.value);
  const entry = classifyTransportFailure(result.error.kind);
  const issue = catalogueIssue(entry.errorCode, `${label(result.community)} failed: ${maskNhsNumbers(result.error.message)}`, { severity: 'warning', issueCode: entry.issue });
  return { community: result.community, documents: [], issues: [issue], failed: true, timedOut: result.error.kind === 'timeout', errorCode: result.error.kind };
}
