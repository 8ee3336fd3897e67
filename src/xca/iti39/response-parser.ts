import { XcaError } from '../errors';
import type { RegistryError, RegistryResponseStatus } from '../model';
import { NS, RESPONSE_STATUS, XML_LIMITS } from '../soap/constants';
import { faultToError, isFaultInBody } from '../soap/fault';
import { readRegistryError } from '../iti38/rim-reader';
import type { XmlSink, XmlTag } from '../xml/stream-parser';
import { SubtreeBuilder, attrOf } from '../xml/subtree';
import { ITI39_NS } from './constants';
import { DocumentResponseReader } from './document-response';
import type { Iti39DocumentResponse, Iti39Response } from './types';
import { readRetrieveXml } from './xml-reader';

/**
 * Streaming reader of an ITI-39 answer body (ITI TF-2 3.39.4.2 → 3.43.4.2.2): RetrieveDocumentSetResponse with
 * rs:RegistryResponse (status, RegistryErrorList) and DocumentResponse elements, in a SOAP 1.2 Body or bare.
 * Namespaces are matched by URI, never by prefix. What real responders send is tolerated on read: element
 * names in another case (`homeCommunityId`), unqualified DocumentResponse children, a RegistryErrorList in the
 * rim namespace (all seen in public captures). Anything else is refused as 'unparseable'.
 */

const lower = (tag: XmlTag | undefined): string => tag?.local.toLowerCase() ?? '';
const inBody = (parent: XmlTag | undefined): boolean => parent !== undefined && parent.local === 'Body' && (parent.uri === NS.soap12 || parent.uri === NS.soap11);
/** The retrieve elements: xds-b namespace, or none (tolerated for what responders leave unqualified). */
const isXdsb = (tag: XmlTag | undefined, name: string): boolean => tag !== undefined && (tag.uri === ITI39_NS.xdsb || tag.uri === '') && lower(tag) === name;

class RetrieveSink implements XmlSink {
  /** The RetrieveDocumentSetResponse element being read. */
  response: XmlTag | undefined;
  sawRegistryResponse = false;
  status: string | undefined;
  readonly errors: RegistryError[] = [];
  readonly documents: Iti39DocumentResponse[] = [];
  private readonly path: XmlTag[] = [];
  private capture: { kind: 'fault' | 'error'; builder: SubtreeBuilder } | undefined;
  private document: DocumentResponseReader | undefined;

  constructor(
    private readonly maxDocumentChars: number,
    private readonly what: string,
  ) {}

  open(tag: XmlTag): void {
    if (this.capture) this.capture.builder.open(tag);
    else if (this.document) this.document.open(tag);
    else this.route(tag);
    this.path.push(tag);
  }

  close(): void {
    this.path.pop();
    if (this.capture?.builder.close()) {
      const { kind, builder } = this.capture;
      this.capture = undefined;
      if (kind === 'fault') throw faultToError(builder.root); // a Fault in a 2xx answer is still a fault
      this.errors.push(readRegistryError(builder.root));
    } else if (this.document?.close()) {
      this.documents.push(this.document.result());
      this.document = undefined;
    }
  }

  text(text: string): void {
    if (this.capture) {
      if (text.length > XML_LIMITS.maxTextChars) throw new XcaError('oversize', `The ${this.what} holds an over-long error text`);
      this.capture.builder.text(text);
    } else {
      this.document?.text(text, this.maxDocumentChars);
    }
  }

  /** What an element outside any captured subtree means, from its place under the response element. */
  private route(tag: XmlTag): void {
    const parent = this.path[this.path.length - 1];
    if (tag.uri === ITI39_NS.xdsb && lower(tag) === 'retrievedocumentsetresponse') {
      // The first one at the root or directly in a SOAP Body; a second one is ignored.
      if (this.response === undefined && (parent === undefined || inBody(parent))) this.response = tag;
    } else if (isFaultInBody(tag, parent)) {
      this.capture = { kind: 'fault', builder: new SubtreeBuilder(tag) };
    } else if (this.response === undefined) {
      return;
    } else if (parent === this.response) {
      // rs:RegistryResponse, matched by local name: responders put it in the default (xds-b) namespace too.
      if (lower(tag) === 'registryresponse') {
        this.sawRegistryResponse = true;
        this.status = attrOf(tag, 'status');
      } else if (isXdsb(tag, 'documentresponse')) {
        this.document = new DocumentResponseReader(this.what);
      }
    } else if (lower(tag) === 'registryerror' && lower(parent) === 'registryerrorlist' && this.isRegistryResponse(this.path[this.path.length - 2])) {
      // RegistryResponse/RegistryErrorList/RegistryError; the list is sometimes put in the rim namespace.
      this.capture = { kind: 'error', builder: new SubtreeBuilder(tag) };
    }
  }

  /** The RegistryResponse child of the response element. */
  private isRegistryResponse(tag: XmlTag | undefined): boolean {
    return lower(tag) === 'registryresponse' && this.path[this.path.length - 3] === this.response;
  }
}

function toStatus(status: string | undefined, what: string): RegistryResponseStatus {
  if (status === undefined) throw new XcaError('unparseable', `The ${what} has no status on its RegistryResponse`);
  const mapped = (RESPONSE_STATUS as Readonly<Record<string, RegistryResponseStatus>>)[status.trim()];
  if (mapped === undefined) throw new XcaError('unparseable', `The ${what} has an unknown RegistryResponse status`);
  return mapped;
}

/** Bounds of one parse. */
export interface RetrieveParseOptions {
  /** Largest body (bytes, or characters of a string). */
  readonly maxBytes: number;
  /** Longest base64 text accepted in one Document element. */
  readonly maxDocumentChars: number;
  /** What is being read, for error messages (default 'ITI-39 response'; RAD-75 reads the same message). */
  readonly what?: string;
}

/**
 * Parse an ITI-39 answer (a plain SOAP body, or the root part of an MTOM package). RegistryErrors are returned,
 * not thrown. Throws XcaError: 'soap-fault' (a Fault in the Body), 'oversize', 'unparseable' (no
 * RetrieveDocumentSetResponse, no RegistryResponse or an unknown status, not well-formed XML, DOCTYPE...).
 */
export async function parseRetrieveResponse(source: AsyncIterable<Buffer | string>, options: RetrieveParseOptions): Promise<Iti39Response> {
  const what = options.what ?? 'ITI-39 response';
  const sink = new RetrieveSink(options.maxDocumentChars, what);
  await readRetrieveXml(source, sink, { maxBytes: options.maxBytes, what });
  if (sink.response === undefined) throw new XcaError('unparseable', `The ${what} holds no RetrieveDocumentSetResponse`);
  if (!sink.sawRegistryResponse) throw new XcaError('unparseable', `The ${what} has no RegistryResponse`);
  return { status: toStatus(sink.status, what), errors: sink.errors, documents: sink.documents };
}
