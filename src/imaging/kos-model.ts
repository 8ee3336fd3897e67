/**
 * What the facade knows of an imaging study after reading its DICOM KOS manifest (IHE XDS-I.b, RAD TF-3
 * 4.68.4.1.2.1; IHE MADO Appendix B for the per-series and per-instance extras). Values are as DICOM carries them
 * (UIDs bare, dates DA, times TM); fhir/imaging-study.ts and imaging/dicom-json.ts translate from here.
 */

/** One Referenced SOP Sequence (0008,1199) item. */
export interface KosInstance {
  /** Referenced SOP Class UID (0008,1150). */
  readonly sopClassUid: string;
  /** Referenced SOP Instance UID (0008,1155). */
  readonly sopInstanceUid: string;
  /** Instance Number (0020,0013), a MADO addition to the item. */
  readonly instanceNumber?: number;
}

/** One Referenced Series Sequence (0008,1115) item of the evidence. */
export interface KosSeries {
  /** Study Instance UID (0020,000D) of the evidence item holding this series. */
  readonly studyUid: string;
  /** Series Instance UID (0020,000E). */
  readonly seriesUid: string;
  /** Modality (0008,0060), MADO Appendix B (Type 1 there; often absent in plain XDS-I.b manifests). */
  readonly modality?: string;
  /** Series Number (0020,0011), when the manifest carries it. */
  readonly seriesNumber?: number;
  /** Series Description (0008,103E), when the manifest carries it. */
  readonly description?: string;
  /** Retrieve Location UID (0040,E011): the repository uniqueId for RAD-69 / RAD-75 (XDS-I.b). */
  readonly retrieveLocationUid?: string;
  /** Retrieve AE Title (0008,0054), first value. */
  readonly retrieveAeTitle?: string;
  /** Retrieve URL (0008,1190), a WADO-RS URL (MADO). */
  readonly retrieveUrl?: string;
  readonly instances: readonly KosInstance[];
}

/** A parsed Key Object Selection Document (SOP Class 1.2.840.10008.5.1.4.1.1.88.59). */
export interface KosManifest {
  /** SOP Instance UID (0008,0018) of the manifest itself: the XDS DocumentEntry.uniqueId. */
  readonly sopInstanceUid: string;
  /** Study Instance UID (0020,000D) of the manifest (General Study module). */
  readonly studyUid: string;
  /** Accession Number (0008,0050). */
  readonly accessionNumber?: string;
  /** Issuer of Accession Number Sequence (0008,0051): Universal Entity ID, else Local Namespace Entity ID. */
  readonly accessionNumberIssuer?: string;
  /** Study Date (0008,0020), DA. */
  readonly studyDate?: string;
  /** Study Time (0008,0030), TM. */
  readonly studyTime?: string;
  /** Timezone Offset From UTC (0008,0201), e.g. '+0000'. */
  readonly timezoneOffset?: string;
  /** Study Description (0008,1030). */
  readonly studyDescription?: string;
  /** Patient ID (0010,0020). */
  readonly patientId?: string;
  /** Issuer of Patient ID Qualifiers Sequence (0010,0024) Universal Entity ID, else Issuer of Patient ID (0010,0021). */
  readonly patientIdIssuer?: string;
  /** Every series of the Current Requested Procedure Evidence Sequence (0040,A375), in manifest order. */
  readonly series: readonly KosSeries[];
}

/** Options of parseKosManifest. */
export interface KosParseOptions {
  /** Refuse manifests larger than this (before and after inflation); default DEFAULT_MAX_KOS_BYTES. */
  readonly maxBytes?: number;
}

/**
 * Default size cap: 4 MiB. A manifest lists about 80-100 bytes per instance, so this admits studies of some
 * 40,000 instances while bounding what a hostile upstream can make the parser allocate.
 */
export const DEFAULT_MAX_KOS_BYTES = 4 * 1024 * 1024;
