/**
 * Wire-neutral model of the XCA messages this gateway sends and reads (ebRIM 3.0 / ebRS 3.0, IHE ITI TF-2 3.18,
 * 3.38, 3.39). Builders in xca/ turn these into SOAP; parsers in xca/ read SOAP into these; the mapping engine in
 * fhir/ turns them into FHIR. No FHIR type appears here.
 */

/** ebRIM Slot: a name and its values as they stand on the wire. */
export interface RimSlot {
  readonly name: string;
  readonly values: readonly string[];
}

/** ebRIM Classification (a coded value such as classCode, or an author). */
export interface RimClassification {
  readonly classificationScheme?: string;
  readonly classificationNode?: string;
  readonly classifiedObject?: string;
  readonly nodeRepresentation?: string;
  /** The LocalizedString value of Name, the code's display. */
  readonly name?: string;
  readonly slots: readonly RimSlot[];
}

/** ebRIM ExternalIdentifier (patientId, uniqueId, ...). */
export interface RimExternalIdentifier {
  readonly identificationScheme: string;
  readonly value: string;
  readonly name?: string;
}

/** One ExtrinsicObject of an AdhocQueryResponse: an XDS DocumentEntry as read from the wire. */
export interface RimExtrinsicObject {
  /** entryUUID (`urn:uuid:...`). */
  readonly id: string;
  readonly lid?: string;
  /** homeCommunityId the responding gateway stamped on the object (`urn:oid:...`). */
  readonly home?: string;
  readonly mimeType?: string;
  /** availabilityStatus, e.g. `urn:oasis:names:tc:ebxml-regrep:StatusType:Approved`. */
  readonly status?: string;
  /** Stable or on-demand DocumentEntry type UUID. */
  readonly objectType?: string;
  /** Name/LocalizedString@value: the title. */
  readonly name?: string;
  /** Description/LocalizedString@value: the comments. */
  readonly description?: string;
  readonly slots: readonly RimSlot[];
  readonly classifications: readonly RimClassification[];
  readonly externalIdentifiers: readonly RimExternalIdentifier[];
}

/** ObjectRef of an AdhocQueryResponse with returnType ObjectRef. */
export interface RimObjectRef {
  readonly id: string;
  readonly home?: string;
}

/** rs:RegistryError. `severity` is the full ebRS URN. */
export interface RegistryError {
  readonly errorCode: string;
  readonly codeContext: string;
  readonly severity: string;
  readonly location?: string;
}

export type RegistryResponseStatus = 'Success' | 'PartialSuccess' | 'Failure';

/** Anything kept of an ExtrinsicObject still names it (answers are merged and de-duplicated by id). */
export interface IdentifiedEntry {
  readonly id: string;
}

/**
 * What a reader keeps of each ExtrinsicObject soon after it has been parsed (in small batches, see
 * iti38/response-parser.ts): the object itself by default; a search keeps its DocumentReference instead, so that a
 * large answer is never held whole as a model.
 */
export type EntryReader<E extends IdentifiedEntry> = (entry: RimExtrinsicObject) => E;

/**
 * The body of an ITI-38 response, read from any prefixes and namespace layout. `extrinsicObjects` holds what the
 * {@link EntryReader} kept of each ExtrinsicObject, in document order (the objects themselves by default).
 */
export interface AdhocQueryResponse<E extends IdentifiedEntry = RimExtrinsicObject> {
  readonly status: RegistryResponseStatus;
  readonly extrinsicObjects: readonly E[];
  readonly objectRefs: readonly RimObjectRef[];
  readonly errors: readonly RegistryError[];
}

/** A stored query ready to be sent: slot values already in ebRS syntax (quoted, parenthesised lists). */
export interface StoredQuery {
  /** Stored query UUID, e.g. FindDocuments `urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d`. */
  readonly queryId: string;
  readonly returnType: 'LeafClass' | 'ObjectRef';
  /** Goes into AdhocQuery@home (ITI TF-2 3.38.4.1.2.1). */
  readonly homeCommunityId: string;
  readonly slots: readonly RimSlot[];
}

/** One responding community, as configured (config/communities). */
export interface Community {
  readonly homeCommunityId: string;
  readonly name: string;
  readonly iti38Url: string;
  readonly iti39Url?: string;
  readonly rad75Url?: string;
  readonly timeoutMs: number;
  /** Short stable key derived from homeCommunityId; carried in resource ids to route a later read. */
  readonly key: string;
  /** Per-community mutual TLS material (PEM file paths), overriding TLS_CLIENT_CERT / TLS_CLIENT_KEY / TLS_CA. */
  readonly tls?: { readonly clientCert?: string; readonly clientKey?: string; readonly ca?: string };
}
