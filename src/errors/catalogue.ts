/**
 * The one error catalogue: every error the service can answer with, its HTTP status, FHIR issue type and
 * NHS Spine error code. README's "Errors" table is kept in step with this by test/unit/errors/catalogue.test.ts.
 * Spine codes: https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode (version 1).
 */
export const SPINE_ERROR_SYSTEM = 'https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode';

/** FHIR R4 IssueType codes used by this service (http://hl7.org/fhir/issue-type). */
export type IssueType =
  | 'invalid'
  | 'code-invalid'
  | 'not-supported'
  | 'not-found'
  | 'deleted'
  | 'too-costly'
  | 'exception'
  | 'timeout'
  | 'incomplete'
  | 'security'
  | 'login'
  | 'forbidden'
  | 'throttled'
  | 'transient';

export interface CatalogueEntry {
  readonly status: number;
  readonly issue: IssueType;
  readonly spineCode: string;
  readonly display: string;
}

export const ERROR_CATALOGUE = {
  INVALID_NHS_NUMBER: { status: 400, issue: 'invalid', spineCode: 'INVALID_NHS_NUMBER', display: 'Invalid NHS number' },
  INVALID_PARAMETER: { status: 400, issue: 'invalid', spineCode: 'INVALID_PARAMETER', display: 'Invalid parameter' },
  INVALID_CODE_SYSTEM: { status: 400, issue: 'code-invalid', spineCode: 'INVALID_CODE_SYSTEM', display: 'Invalid code system' },
  INVALID_RESOURCE_ID: { status: 400, issue: 'invalid', spineCode: 'INVALID_RESOURCE_ID', display: 'Invalid resource ID' },
  INVALID_HEADER: { status: 400, issue: 'invalid', spineCode: 'MISSING_OR_INVALID_HEADER', display: 'Missing or invalid header' },
  NOT_ACCEPTABLE: { status: 406, issue: 'not-supported', spineCode: 'MISSING_OR_INVALID_HEADER', display: 'Not acceptable' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, issue: 'not-supported', spineCode: 'MISSING_OR_INVALID_HEADER', display: 'Unsupported media type' },
  ACCESS_DENIED: { status: 401, issue: 'login', spineCode: 'ACCESS_DENIED', display: 'Access denied' },
  FORBIDDEN: { status: 403, issue: 'forbidden', spineCode: 'ACCESS_DENIED', display: 'Forbidden' },
  TOO_MANY_REQUESTS: { status: 429, issue: 'throttled', spineCode: 'TOO_MANY_REQUESTS', display: 'Too many requests' },
  NO_RECORD_FOUND: { status: 404, issue: 'not-found', spineCode: 'NO_RECORD_FOUND', display: 'No record found' },
  RECORD_DEPRECATED: { status: 410, issue: 'deleted', spineCode: 'NO_RECORD_FOUND', display: 'Record deprecated' },
  SEARCH_EXPIRED: { status: 410, issue: 'not-found', spineCode: 'NO_RECORD_FOUND', display: 'Search expired' },
  UNKNOWN_ROUTE: { status: 404, issue: 'not-supported', spineCode: 'INVALID_REQUEST', display: 'Unsupported request' },
  METHOD_NOT_ALLOWED: { status: 405, issue: 'not-supported', spineCode: 'INVALID_REQUEST', display: 'Method not allowed' },
  PAYLOAD_TOO_LARGE: { status: 413, issue: 'too-costly', spineCode: 'INVALID_REQUEST', display: 'Payload too large' },
  BINARY_TOO_LARGE: { status: 422, issue: 'too-costly', spineCode: 'INVALID_REQUEST', display: 'Document too large for a Binary resource' },
  UPSTREAM_FAILED: { status: 502, issue: 'exception', spineCode: 'UNABLE_TO_CALL_SERVICE', display: 'Unable to call service' },
  UPSTREAM_TIMEOUT: { status: 504, issue: 'timeout', spineCode: 'UNABLE_TO_CALL_SERVICE', display: 'Upstream timed out' },
  SERVICE_UNAVAILABLE: { status: 503, issue: 'transient', spineCode: 'SERVICE_UNAVAILABLE', display: 'Service unavailable' },
  AUDIT_UNAVAILABLE: { status: 503, issue: 'transient', spineCode: 'SERVICE_UNAVAILABLE', display: 'Audit trail unavailable' },
  INTERNAL_SERVER_ERROR: { status: 500, issue: 'exception', spineCode: 'INTERNAL_SERVER_ERROR', display: 'Internal server error' },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export function isErrorCode(value: string): value is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CATALOGUE, value);
}
