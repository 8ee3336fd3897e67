import type { ErrorCode, IssueType } from '../errors/catalogue';
import type { XcaErrorKind } from '../xca/errors';
import { loadMappingTable } from './load';

/**
 * Lookups over mappings/xds-errors.json: how a RegistryError code (ITI TF-3 Table 4.2.4.1-2) or a transport
 * failure from a responding gateway is reported (meaning, FHIR issue type, severity, service error code).
 */

export type XdsErrorMeaning = 'no-documents' | 'error';
export type IssueSeverity = 'fatal' | 'error' | 'warning' | 'information';

/** One row of the table. */
export interface XdsErrorClassification {
  /** 'no-documents': the community has nothing for this patient (not a failure); 'error' otherwise. */
  readonly meaning: XdsErrorMeaning;
  /** FHIR R4 issue type of the OperationOutcome issue to report. */
  readonly issue: IssueType;
  readonly severity: IssueSeverity;
  /** The service error (src/errors/catalogue.ts) this failure becomes when it decides the answer. */
  readonly errorCode: ErrorCode;
}

export interface XdsErrorsTable {
  readonly registryErrors: Readonly<Record<string, XdsErrorClassification>> & { readonly default: XdsErrorClassification };
  readonly transportFailures: Readonly<Record<XcaErrorKind, XdsErrorClassification>>;
}

let table: XdsErrorsTable | undefined;

/** Load and validate mappings/xds-errors.json (or the copy in `dir`); throws MappingTableError when broken. */
export function loadXdsErrorsTable(dir?: string): XdsErrorsTable {
  return loadMappingTable<XdsErrorsTable>('xds-errors', dir);
}

function current(): XdsErrorsTable {
  table ??= loadXdsErrorsTable();
  return table;
}

/** The code itself: trimmed, and without any prefix up to a ':' (tolerated, e.g. a QName-style `ns:XDSRegistryError`). */
function bareCode(code: string): string {
  const trimmed = code.trim();
  return trimmed.slice(trimmed.lastIndexOf(':') + 1);
}

/** How to read a RegistryError@errorCode; unknown codes get the table's `default` row. */
export function classifyXdsError(code: string): XdsErrorClassification {
  const errors = current().registryErrors;
  const key = bareCode(code);
  return key !== 'default' && Object.prototype.hasOwnProperty.call(errors, key) ? (errors[key] ?? errors.default) : errors.default;
}

/** How to read a transport failure kind (src/xca/errors.ts XcaErrorKind). */
export function classifyTransportFailure(kind: XcaErrorKind): XdsErrorClassification {
  return current().transportFailures[kind];
}
