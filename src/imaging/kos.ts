import type { DataSet, Element } from 'dicom-parser';
import { isCodeString, isDicomUid, parserKey, UIDS, type TagKeyword } from './dicom-dictionary';
import { readPart10 } from './dicom-read';
import { KosError } from './kos-error';
import { DEFAULT_MAX_KOS_BYTES, type KosInstance, type KosManifest, type KosParseOptions, type KosSeries } from './kos-model';

/**
 * DICOM KOS manifest (Key Object Selection Document, PS3.3 A.35.4) -> KosManifest, as an XDS-I.b Imaging Document
 * Consumer reads it (RAD TF-3 4.68.4.1.2.1): the study, and every referenced instance of the Current Requested
 * Procedure Evidence Sequence (0040,A375) > Referenced Series Sequence (0008,1115) > Referenced SOP Sequence
 * (0008,1199), with Retrieve Location UID / Retrieve AE Title per series and the MADO Appendix B extras (Modality,
 * Series Number and Description per series, Instance Number per instance). The SR content tree (TID 2010) is not
 * read: the evidence lists every instance the content references (PS3.3 C.17.6.2.1).
 */

export { KosError, type KosErrorReason } from './kos-error';
export { DEFAULT_MAX_KOS_BYTES, type KosInstance, type KosManifest, type KosParseOptions, type KosSeries } from './kos-model';

/** ' <where>' when there is a where: top-level attributes have none. */
function at(where: string): string {
  return where === '' ? '' : ` ${where}`;
}

/** A trimmed, non-empty string value, or undefined. */
function text(ds: DataSet, keyword: TagKeyword): string | undefined {
  const value = ds.string(parserKey(keyword), 0);
  return value === undefined || value === '' ? undefined : value;
}

/** An IS value as a safe integer, or undefined when absent or not an integer string (PS3.5 6.2). */
function integer(ds: DataSet, keyword: TagKeyword): number | undefined {
  const value = text(ds, keyword);
  if (value === undefined || !/^[+-]?\d{1,12}$/.test(value)) return undefined;
  return Number(value);
}

/** A required UID; 'malformed' naming the attribute and where it is when absent or not a UID. */
function requiredUid(ds: DataSet, keyword: TagKeyword, name: string, where: string): string {
  const value = text(ds, keyword);
  if (value === undefined || !isDicomUid(value)) throw new KosError('malformed', `the manifest's ${name}${at(where)} is missing or not a valid DICOM UID`);
  return value;
}

/** An optional UID; present but invalid is 'malformed' (a bad Retrieve Location UID would misroute RAD-75). */
function optionalUid(ds: DataSet, keyword: TagKeyword, name: string, where: string): string | undefined {
  const value = text(ds, keyword);
  if (value !== undefined && !isDicomUid(value)) throw new KosError('malformed', `the manifest's ${name}${at(where)} is not a valid DICOM UID`);
  return value;
}

/**
 * The items of a sequence: [] when absent or empty (in implicit VR an empty sequence cannot be told from an empty
 * value), 'malformed' when the element has content but is not a sequence.
 */
function items(ds: DataSet, keyword: TagKeyword, where: string): DataSet[] {
  const element: Element | undefined = ds.elements[parserKey(keyword)];
  if (element === undefined || (element.length === 0 && !Array.isArray(element.items))) return [];
  if (!Array.isArray(element.items)) throw new KosError('malformed', `the manifest's ${keyword}${at(where)} is not a sequence`);
  return element.items.flatMap((item) => (item.dataSet ? [item.dataSet] : []));
}

/**
 * Universal Entity ID of the first item of an issuer sequence (PS3.3 Table 10-17), else its Local Namespace
 * Entity ID. Optional context: a broken issuer sequence is ignored rather than failing the manifest.
 */
function issuer(ds: DataSet, sequence: TagKeyword): string | undefined {
  const element: Element | undefined = ds.elements[parserKey(sequence)];
  const item = Array.isArray(element?.items) ? element.items[0]?.dataSet : undefined;
  return item ? (text(item, 'UniversalEntityID') ?? text(item, 'LocalNamespaceEntityID')) : undefined;
}

function readInstance(item: DataSet, where: string): KosInstance {
  const instanceNumber = integer(item, 'InstanceNumber');
  return {
    sopClassUid: requiredUid(item, 'ReferencedSOPClassUID', 'Referenced SOP Class UID (0008,1150)', where),
    sopInstanceUid: requiredUid(item, 'ReferencedSOPInstanceUID', 'Referenced SOP Instance UID (0008,1155)', where),
    ...(instanceNumber === undefined ? {} : { instanceNumber }),
  };
}

function readSeries(item: DataSet, studyUid: string, where: string): KosSeries {
  const seriesUid = requiredUid(item, 'SeriesInstanceUID', 'Series Instance UID (0020,000E)', where);
  const instances = items(item, 'ReferencedSOPSequence', where).map((sop, i) => readInstance(sop, `${where} > Referenced SOP Sequence item ${i + 1}`));
  const modality = text(item, 'Modality');
  const optional = {
    modality: modality !== undefined && isCodeString(modality) ? modality : undefined,
    seriesNumber: integer(item, 'SeriesNumber'),
    description: text(item, 'SeriesDescription'),
    retrieveLocationUid: optionalUid(item, 'RetrieveLocationUID', 'Retrieve Location UID (0040,E011)', where),
    retrieveAeTitle: text(item, 'RetrieveAETitle'),
    retrieveUrl: text(item, 'RetrieveURL'),
  };
  const present = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)) as Partial<KosSeries>;
  return { studyUid, seriesUid, ...present, instances };
}

/** Every series of every study item of the evidence; 'no-evidence' when the sequence is absent or empty. */
function readEvidence(ds: DataSet): KosSeries[] {
  const studies = items(ds, 'CurrentRequestedProcedureEvidenceSequence', '');
  if (studies.length === 0) throw new KosError('no-evidence');
  return studies.flatMap((study, s) => {
    const where = `in Current Requested Procedure Evidence Sequence item ${s + 1}`;
    const studyUid = requiredUid(study, 'StudyInstanceUID', 'Study Instance UID (0020,000D)', where);
    return items(study, 'ReferencedSeriesSequence', where).map((series, i) => readSeries(series, studyUid, `${where} > Referenced Series Sequence item ${i + 1}`));
  });
}

function readManifest(ds: DataSet): KosManifest {
  const sopClass = text(ds, 'SOPClassUID');
  if (sopClass !== UIDS.keyObjectSelectionDocumentStorage) {
    const named = sopClass !== undefined && isDicomUid(sopClass) ? `SOP Class ${sopClass}` : 'no valid SOP Class UID';
    throw new KosError('not-kos', `the document is DICOM (${named}) but not a Key Object Selection Document (SOP Class ${UIDS.keyObjectSelectionDocumentStorage})`);
  }
  const header = {
    sopInstanceUid: requiredUid(ds, 'SOPInstanceUID', 'SOP Instance UID (0008,0018)', ''),
    studyUid: requiredUid(ds, 'StudyInstanceUID', 'Study Instance UID (0020,000D)', ''),
  };
  const series = readEvidence(ds);
  if (!series.some((s) => s.instances.length > 0)) throw new KosError('no-instances');
  const optional = {
    accessionNumber: text(ds, 'AccessionNumber'),
    accessionNumberIssuer: issuer(ds, 'IssuerOfAccessionNumberSequence'),
    studyDate: text(ds, 'StudyDate'),
    studyTime: text(ds, 'StudyTime'),
    timezoneOffset: text(ds, 'TimezoneOffsetFromUTC'),
    studyDescription: text(ds, 'StudyDescription'),
    patientId: text(ds, 'PatientID'),
    patientIdIssuer: issuer(ds, 'IssuerOfPatientIDQualifiersSequence') ?? text(ds, 'IssuerOfPatientID'),
  };
  const present = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)) as Partial<KosManifest>;
  return { ...header, ...present, series: series.filter((s) => s.instances.length > 0) };
}

/**
 * Parse a KOS manifest from untrusted bytes. Throws KosError (and nothing else): 'too-large' beyond
 * `opts.maxBytes` (default 4 MiB), 'not-dicom', 'truncated', 'not-kos', 'no-evidence', 'no-instances', 'malformed'.
 * Series whose Referenced SOP Sequence is empty are left out.
 */
export function parseKosManifest(bytes: Uint8Array, opts: KosParseOptions = {}): KosManifest {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_KOS_BYTES;
  try {
    return readManifest(readPart10(bytes, maxBytes));
  } catch (err) {
    if (err instanceof KosError) throw err;
    // Reading values of a parsed data set can still fail on hostile input (a value past the end, a stack overflow).
    throw new KosError('malformed', 'the manifest is malformed DICOM and could not be read', { cause: err });
  }
}
