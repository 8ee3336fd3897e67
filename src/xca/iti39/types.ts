import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { RegistryError, RegistryResponseStatus } from '../model';

/** The one document an ITI-39 call asks for (ITI TF-2 3.39.4.1.2: all three ids are required in XCA). */
export interface Iti39Request {
  /** The responding community (`urn:oid:...`), written as DocumentRequest/HomeCommunityId. */
  readonly homeCommunityId: string;
  /** XDSDocumentEntry.repositoryUniqueId, as read from the ITI-38 answer. */
  readonly repositoryUniqueId: string;
  /** XDSDocumentEntry.uniqueId, as read from the ITI-38 answer. */
  readonly documentUniqueId: string;
}

/** Per-call context of an ITI-39 exchange. */
export interface Iti39CallContext {
  /** Cancels the call, and later the document stream (e.g. when the FHIR client goes away). */
  readonly signal?: AbortSignal;
  /** Per-community undici Dispatcher (mutual TLS, ITI TF-2 3.19). */
  readonly dispatcher?: Dispatcher;
  /** Builds a fresh wsse:Security header for the request (XUA, ITI TF-2 3.40). */
  readonly securityHeader?: () => string;
  /** Extra HTTP request headers (W3C trace context). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Largest document accepted inline as base64 (default ITI39_LIMITS.maxInlineBytes). */
  readonly maxInlineBytes?: number;
  /** Longest wait for the next bytes of a streaming document (default: the community's timeoutMs). */
  readonly bodyIdleTimeoutMs?: number;
}

/** The requested document, its bytes still arriving. */
export interface RetrievedDocument {
  /** DocumentResponse/HomeCommunityId, or the one asked for when the responder left it out. */
  readonly homeCommunityId: string;
  readonly repositoryUniqueId: string;
  readonly documentUniqueId: string;
  /** On-demand documents: the id of the stable copy the responder made (ITI TF-2 3.43.4.2.2). */
  readonly newRepositoryUniqueId?: string;
  readonly newDocumentUniqueId?: string;
  /** DocumentResponse/mimeType, as sent. */
  readonly mimeType: string;
  /** Bytes, when known: an inline document's decoded length. MTOM parts carry no length, so usually undefined. */
  readonly size?: number;
  /** RegistryResponse@status of the answer. */
  readonly status: RegistryResponseStatus;
  /** RegistryErrors that came with the document (warnings, or errors about other documents). */
  readonly registryErrors: readonly RegistryError[];
  /**
   * The document. Errors (upstream cut off, stalled past the idle timeout, cancelled) arrive as an 'error'
   * carrying an XcaError, never as a clean end, so a consumer piping it on aborts its own response.
   * Destroy it to stop reading: the upstream connection is then released.
   */
  readonly body: Readable;
}

/** What a DocumentResponse/Document holds. */
export type Iti39DocumentContent =
  /** xop:Include: the bytes are in the MIME part this `cid:` URL names (W3C XOP 1.0). */
  | { readonly kind: 'xop'; readonly href: string }
  /** base64 text, as the XML text pieces it came in. */
  | { readonly kind: 'inline'; readonly base64: readonly string[] }
  /** <Document/> with neither an xop:Include nor any text. */
  | { readonly kind: 'empty' }
  /** No Document element at all. */
  | { readonly kind: 'missing' };

/** One DocumentResponse as read from the wire: every value trimmed, absent when not sent. */
export interface Iti39DocumentResponse {
  readonly homeCommunityId?: string;
  readonly repositoryUniqueId?: string;
  readonly documentUniqueId?: string;
  readonly newRepositoryUniqueId?: string;
  readonly newDocumentUniqueId?: string;
  readonly mimeType?: string;
  readonly document: Iti39DocumentContent;
}

/** The body of an ITI-39 answer (RetrieveDocumentSetResponse, ITI TF-2 3.43.4.2.2). */
export interface Iti39Response {
  readonly status: RegistryResponseStatus;
  readonly errors: readonly RegistryError[];
  readonly documents: readonly Iti39DocumentResponse[];
}
