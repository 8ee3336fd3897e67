/**
 * The sandbox's seed data, as startSandboxGateway takes it: the patients a responding gateway knows, their
 * DocumentEntries, and per-patient behaviour (an artificial delay, a forced RegistryError). Files under
 * src/sandbox/seed/ hold this shape plus document templates that seed.ts expands at load.
 */

/** A code as XDS carries it: code, coding scheme OID, display. */
export interface SeedCode {
  readonly code: string;
  readonly scheme: string;
  readonly display: string;
}

/** One XDS author (ITI TF-3 4.2.3.1.4): XCN person, XON institutions, roles, specialties. */
export interface SeedAuthor {
  readonly person?: string;
  readonly institution?: readonly string[];
  readonly role?: readonly string[];
  readonly specialty?: readonly string[];
}

/** One DocumentEntry (ITI TF-3 Table 4.3.1-3), in the values it takes on the wire. */
export interface SandboxDocument {
  readonly entryUUID: string;
  readonly uniqueId: string;
  readonly availabilityStatus: string;
  /** Stable or on-demand DocumentEntry type; stable when absent. */
  readonly objectType?: string;
  readonly mimeType: string;
  readonly title: string;
  readonly comments?: string;
  /** HL7 DTM, UTC. */
  readonly creationTime: string;
  readonly languageCode: string;
  /** Bytes of the content (ITI TF-3 4.2.3.2.19); absent in the seed for generated content, filled in at run time. */
  readonly size?: number;
  /** Hex SHA-1 of the content (ITI TF-3 4.2.3.2.12); absent in the seed for generated content, like size. */
  readonly hash?: string;
  readonly serviceStartTime?: string;
  readonly serviceStopTime?: string;
  readonly sourcePatientId: string;
  readonly sourcePatientInfo?: readonly string[];
  readonly authors: readonly SeedAuthor[];
  readonly classCode: SeedCode;
  readonly typeCode: SeedCode;
  readonly practiceSettingCode: SeedCode;
  readonly healthcareFacilityTypeCode: SeedCode;
  readonly formatCode: SeedCode;
  readonly confidentialityCode: readonly SeedCode[];
  readonly eventCodeList?: readonly SeedCode[];
  /** CXi values (ITI TF-3 4.2.3.2.28). */
  readonly referenceIdList?: readonly string[];
  /** File name of the content: an entry of the seed's DICOM index, else a file in src/sandbox/seed/content/. */
  readonly content: string;
  /** Where the bytes come from: the file (default), a generator (computed on the fly), or nowhere (lost). */
  readonly contentSource?: ContentSource;
}

/** file: the content file; generated: computed on the fly; missing: the repository has lost the bytes. */
export type ContentSource = 'file' | 'generated' | 'missing';

/** The DICOM instances a community's imaging document source holds, for RAD-75. */
export interface SandboxImaging {
  /** Index file (path, UIDs, size, hashes per instance) relative to the seed folder, e.g. dicom/index.json. */
  readonly dicomIndex: string;
  /** The transfer syntax every instance is stored in; RAD-75 requests must accept it. */
  readonly transferSyntaxUid: string;
  /** mimeType of a returned instance. */
  readonly mimeType: string;
}

/** What the gateway does, beyond answering, when a query names this patient. */
export interface PatientBehaviour {
  /** Answer only after this many milliseconds (does not hold up other requests). */
  readonly delayMs?: number;
  /** Answer Failure with this RegistryError instead of results. */
  readonly registryError?: { readonly errorCode: string; readonly codeContext: string };
}

export interface SandboxPatient {
  /** NHS number; the patient id on the wire is its CX with the NHS number assigning authority. */
  readonly nhsNumber: string;
  readonly behaviour?: PatientBehaviour;
  readonly documents: readonly SandboxDocument[];
}

/** Everything one sandbox responding gateway knows. */
export interface SandboxSeed {
  /** repositoryUniqueId stamped on every DocumentEntry of this gateway. */
  readonly repositoryUniqueId: string;
  /** Defaults for index.ts: the community this seed is meant for. */
  readonly community?: { readonly name: string; readonly homeCommunityId: string; readonly initiatorTimeoutMs: number };
  /** RAD-75: the imaging document source behind this gateway, if any. */
  readonly imaging?: SandboxImaging;
  readonly patients: readonly SandboxPatient[];
}
