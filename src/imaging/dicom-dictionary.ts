/**
 * The few DICOM data elements, UIDs and values the imaging code reads or writes, in one place (DICOM PS3.6
 * Chapter 6 "Registry of DICOM Data Elements", Annex A "Registry of DICOM Unique Identifiers"). These are protocol
 * constants of the DICOM standard, not deployment data, so they live here rather than in mappings/.
 */

/** A data element: its tag as 8 upper-case hex digits (the DICOM JSON key, PS3.18 F.2.1) and its VR. */
export interface DicomElementDef {
  readonly tag: string;
  readonly vr: string;
}

function el(tag: string, vr: string): DicomElementDef {
  return { tag, vr };
}

/** Data elements by keyword (PS3.6 Table 6-1). */
export const TAGS = {
  TransferSyntaxUID: el('00020010', 'UI'),
  SOPClassUID: el('00080016', 'UI'),
  SOPInstanceUID: el('00080018', 'UI'),
  StudyDate: el('00080020', 'DA'),
  StudyTime: el('00080030', 'TM'),
  AccessionNumber: el('00080050', 'SH'),
  IssuerOfAccessionNumberSequence: el('00080051', 'SQ'),
  RetrieveAETitle: el('00080054', 'AE'),
  Modality: el('00080060', 'CS'),
  ModalitiesInStudy: el('00080061', 'CS'),
  TimezoneOffsetFromUTC: el('00080201', 'SH'),
  StudyDescription: el('00081030', 'LO'),
  SeriesDescription: el('0008103E', 'LO'),
  ReferencedSeriesSequence: el('00081115', 'SQ'),
  ReferencedSOPClassUID: el('00081150', 'UI'),
  ReferencedSOPInstanceUID: el('00081155', 'UI'),
  RetrieveURL: el('00081190', 'UR'),
  ReferencedSOPSequence: el('00081199', 'SQ'),
  PatientID: el('00100020', 'LO'),
  IssuerOfPatientID: el('00100021', 'LO'),
  IssuerOfPatientIDQualifiersSequence: el('00100024', 'SQ'),
  StudyInstanceUID: el('0020000D', 'UI'),
  SeriesInstanceUID: el('0020000E', 'UI'),
  SeriesNumber: el('00200011', 'IS'),
  InstanceNumber: el('00200013', 'IS'),
  NumberOfStudyRelatedSeries: el('00201206', 'IS'),
  NumberOfStudyRelatedInstances: el('00201208', 'IS'),
  NumberOfSeriesRelatedInstances: el('00201209', 'IS'),
  SamplesPerPixel: el('00280002', 'US'),
  NumberOfFrames: el('00280008', 'IS'),
  Rows: el('00280010', 'US'),
  Columns: el('00280011', 'US'),
  BitsAllocated: el('00280100', 'US'),
  LocalNamespaceEntityID: el('00400031', 'UT'),
  UniversalEntityID: el('00400032', 'UT'),
  CurrentRequestedProcedureEvidenceSequence: el('0040A375', 'SQ'),
  RetrieveLocationUID: el('0040E011', 'UI'),
  PixelData: el('7FE00010', 'OW'),
} as const satisfies Record<string, DicomElementDef>;

export type TagKeyword = keyof typeof TAGS;

/** The key dicom-parser uses for a tag: 'x' + 8 lower-case hex digits. */
export function parserKey(keyword: TagKeyword): string {
  return `x${TAGS[keyword].tag.toLowerCase()}`;
}

/** SOP Class and Transfer Syntax UIDs (PS3.6 Annex A). */
export const UIDS = {
  /** Key Object Selection Document Storage: the XDS-I.b / MADO manifest (RAD TF-3 4.68.4.1.2.1). */
  keyObjectSelectionDocumentStorage: '1.2.840.10008.5.1.4.1.1.88.59',
  /** Deflated Explicit VR Little Endian: the one transfer syntax that must be inflated before parsing. */
  deflatedExplicitVrLittleEndian: '1.2.840.10008.1.2.1.99',
  /** Implicit VR Little Endian: the default transfer syntax (PS3.5 10.1), when a file does not name one. */
  implicitVrLittleEndian: '1.2.840.10008.1.2',
  /** Explicit VR Big Endian (retired): native pixel data in it would need its bytes swapped. */
  explicitVrBigEndian: '1.2.840.10008.1.2.2',
} as const;

/**
 * Modality when neither the manifest nor the registry metadata name one: OT "Other" (PS3.3 C.7.3.1.1.1 Defined
 * Terms for Modality; DCM code OT).
 */
export const OTHER_MODALITY = 'OT';

/** A UID as PS3.5 9.1 allows: dotted decimal components, no leading zeros, at most 64 characters. */
const UID = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))+$/;
export function isDicomUid(value: string): boolean {
  return value.length <= 64 && UID.test(value);
}

/** A CS value as PS3.5 6.2 allows (upper case, digits, space, underscore; at most 16 characters). */
const CS = /^[A-Z0-9_ ]{1,16}$/;
export function isCodeString(value: string): boolean {
  return CS.test(value);
}
