import { FacadeError } from '../../errors/facade-error';
import { isValidNhsNumber, NHS_NUMBER_SYSTEM } from '../../nhs/nhs-number';
import type { StoredManifest } from './manifest';

/**
 * Who an ImagingStudy is about. DICOM Patient ID (0010,0020) is usually a local hospital number, so it is trusted
 * as an NHS number only when it is one (10 digits, modulus 11) and its issuer (Issuer of Patient ID Qualifiers
 * Sequence Universal Entity ID, else Issuer of Patient ID, PS3.3 C.7.1.1) is the NHS number authority or absent.
 *
 * - Issuer named as the NHS: the manifest says who it is about. When a search found it under another NHS number
 *   the two disagree, and the study is refused (502) rather than shown under either patient.
 * - Issuer absent: the patient the registry filed it under (the search that found it) comes first; a valid NHS
 *   number in Patient ID is used when no search in this access context found the manifest.
 * - Another issuer: only the search can say.
 */

const URN_OID = 'urn:oid:';

function isNhsAuthority(issuer: string, authority: string): boolean {
  const bare = issuer.trim().startsWith(URN_OID) ? issuer.trim().slice(URN_OID.length) : issuer.trim();
  return bare === authority;
}

/**
 * The NHS number of the ImagingStudy subject. `authority` is the NHS number OID (PATIENT_ASSIGNING_AUTHORITY).
 * @throws FacadeError UPSTREAM_FAILED when the manifest's patient cannot be told, or disagrees with the search.
 */
export function subjectNhsNumber(stored: StoredManifest, authority: string): string {
  const { patientId, patientIdIssuer } = stored.manifest;
  const value = patientId?.trim();
  const valid = value !== undefined && isValidNhsNumber(value) ? value : undefined;
  const searched = stored.found?.nhsNumber;
  if (valid !== undefined && patientIdIssuer !== undefined && isNhsAuthority(patientIdIssuer, authority)) {
    if (searched !== undefined && searched !== valid) {
      throw new FacadeError('UPSTREAM_FAILED', "The imaging manifest's Patient ID (0010,0020) is an NHS number other than the patient the registry filed it under");
    }
    return valid;
  }
  const nhsNumber = searched ?? (patientIdIssuer === undefined ? valid : undefined);
  if (nhsNumber === undefined) {
    throw new FacadeError(
      'UPSTREAM_FAILED',
      "The imaging manifest does not identify its patient by NHS number (Patient ID (0010,0020) with the NHS as issuer), " +
        `and no recent ImagingStudy search found it: search ImagingStudy?patient.identifier=${NHS_NUMBER_SYSTEM}|<NHS number> first`,
    );
  }
  return nhsNumber;
}
