import { FacadeError } from '../../errors/facade-error';
import { findRule, searchParameters } from '../../mappings/search-parameters';
import type { SearchParamList } from '../../search/iti67-search';
import type { ImagingTable } from './imaging-table';

/** An ImagingStudy search as the ITI-67 search it becomes. */
export interface ImagingSearchParams {
  /** What the client asked, as understood: the Bundle's self link. */
  readonly asked: SearchParamList;
  /** The same plus the KOS format and status current: what searchDocuments runs. */
  readonly upstream: SearchParamList;
}

/** Result parameters an ImagingStudy search accepts and passes on untouched. */
const RESULT_PARAMETERS = ['_format'];

/**
 * ImagingStudy search parameters -> ITI-67 parameters. The patient (every spelling DocumentReference accepts) and
 * the imaging parameters the table lists pass through; the KOS format token (RAD TF-3 4.68.4.1.2.3.2 formatCode;
 * MADO content.format) and `status=current` (only current manifests) are added. Anything else is refused (400),
 * or dropped under `Prefer: handling=lenient` (FHIR R4 search 3.1.1.3).
 */
export function toImagingSearchParams(params: SearchParamList, table: ImagingTable, options: { lenient: boolean }): ImagingSearchParams {
  const patient = searchParameters().patient.parameters;
  const asked = params.filter(([name]) => {
    const rule = findRule(name);
    if (patient.includes(name) || RESULT_PARAMETERS.includes(name) || (rule !== undefined && table.searchParameters.includes(rule.name))) return true;
    if (options.lenient) return false;
    throw new FacadeError('INVALID_PARAMETER', `Unsupported search parameter '${name}' for ImagingStudy`, { expression: name });
  });
  const format = `${table.kosFormat.system}|${table.kosFormat.code}`;
  return { asked, upstream: [...asked, ['format', format], ['status', 'current']] };
}
