import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4';
import { ERROR_CATALOGUE, SPINE_ERROR_SYSTEM, type ErrorCode } from '../errors/catalogue';
import type { FacadeError } from '../errors/facade-error';

/** Build one OperationOutcome issue carrying the Spine error code of a catalogue entry. */
export function catalogueIssue(
  code: ErrorCode,
  diagnostics: string,
  options: { severity?: OperationOutcomeIssue['severity']; expression?: readonly string[]; issueCode?: OperationOutcomeIssue['code'] } = {},
): OperationOutcomeIssue {
  const entry = ERROR_CATALOGUE[code];
  return {
    severity: options.severity ?? 'error',
    code: options.issueCode ?? entry.issue,
    details: { coding: [{ system: SPINE_ERROR_SYSTEM, version: '1', code: entry.spineCode, display: entry.display }] },
    diagnostics,
    ...(options.expression && options.expression.length > 0 ? { expression: [...options.expression] } : {}),
  };
}

/** An OperationOutcome from issues. */
export function operationOutcome(issues: OperationOutcomeIssue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: issues };
}

/** The OperationOutcome answering a FacadeError. */
export function outcomeFromError(err: FacadeError): OperationOutcome {
  const main = catalogueIssue(err.code, err.message, { ...(err.expression ? { expression: err.expression } : {}) });
  return operationOutcome([main, ...err.details.map((d) => catalogueIssue(err.code, d))]);
}
