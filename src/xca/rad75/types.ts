import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { RegistryError, RegistryResponseStatus } from '../model';
import type { SoapAddressing } from '../soap/envelope';

/** One DICOM instance to retrieve (a DocumentRequest: DocumentUniqueId = SOP Instance UID, RAD TF-3 4.69.4.1.2). */
export interface Rad75Instance {
  readonly sopInstanceUid: string;
  /** The Imaging Document Source holding it: the KOS's Retrieve Location UID (0040,E011). */
  readonly repositoryUniqueId: string;
}

/** One series of the study and the instances wanted from it (a SeriesRequest). */
export interface Rad75Series {
  readonly seriesInstanceUid: string;
  readonly instances: readonly Rad75Instance[];
}

/** A RAD-75 request: instances of one study, all from the one responding community asked. */
export interface Rad75Request {
  /** The responding community (`urn:oid:...`), written as every DocumentRequest/HomeCommunityId (RAD TF-3 4.75.4.1.2). */
  readonly homeCommunityId: string;
  readonly studyInstanceUid: string;
  readonly series: readonly Rad75Series[];
  /** Transfer syntaxes the consumer can process, preferred first (the facade sends those of mappings/imaging.json). */
  readonly transferSyntaxUids: readonly string[];
}

/** WS-Addressing values of one RAD-75 request; `to` is the responding imaging gateway's RAD-75 endpoint. */
export type Rad75Addressing = SoapAddressing;

/** Per-call context of a RAD-75 exchange. */
export interface Rad75CallContext {
  /** Cancels the call and, later, the instance being streamed. */
  readonly signal?: AbortSignal;
  /** Per-community undici Dispatcher (mutual TLS). */
  readonly dispatcher?: Dispatcher;
  /** Builds a fresh wsse:Security header for the request (XUA, ITI TF-2 3.40). */
  readonly securityHeader?: () => string;
  /** Extra HTTP request headers (W3C trace context). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Longest wait for the next bytes of an instance, its first bytes included (default: the community's timeoutMs). */
  readonly bodyIdleTimeoutMs?: number;
  /** Largest instance accepted inline as base64 in a plain SOAP answer (default ITI39_LIMITS.maxInlineBytes). */
  readonly maxInlineBytes?: number;
}

/** One retrieved DICOM instance, its bytes still arriving. */
export interface RetrievedInstance {
  /** The SOP Instance UID, as requested. */
  readonly documentUniqueId: string;
  /** DocumentResponse/RepositoryUniqueId as sent, else the one requested. */
  readonly repositoryUniqueId?: string;
  /** The series it was requested in. */
  readonly seriesInstanceUid: string;
  /** DocumentResponse/mimeType, as sent (application/dicom for a DICOM instance). */
  readonly mimeType: string;
  /** Bytes, when known (inline instances only: MTOM parts carry no length). */
  readonly size?: number;
  /**
   * The instance. Read it to its end before asking for the next instance. Errors (cut off, stalled past the idle
   * timeout, cancelled) arrive as an 'error' carrying an XcaError, never as a clean end. Destroying it before its
   * end stops the whole retrieval and releases the connection.
   */
  readonly body: Readable;
}

/** A RAD-75 answer whose SOAP part has been read; the instances stream one after the other. */
export interface ImagingRetrieval {
  /** RegistryResponse@status of the answer. */
  readonly status: RegistryResponseStatus;
  /** Every RegistryError of the answer (PartialSuccess: what could not be returned, e.g. XDSDocumentUniqueIdError). */
  readonly registryErrors: readonly RegistryError[];
  /** SOP Instance UIDs requested that no DocumentResponse answers, in request order. */
  readonly missingSopInstanceUids: readonly string[];
  /**
   * The instances, in the order of the DocumentResponses of the answer. Single use. Each body must be read to
   * its end (or destroyed, which ends the retrieval) before the next is yielded: `next()` waits for it.
   * Leaving the loop early (break, throw) releases the connection.
   */
  readonly instances: AsyncIterable<RetrievedInstance>;
  /** Stop the retrieval now and release the connection (e.g. the FHIR client went away); an open body errors. */
  abort(): void;
}
