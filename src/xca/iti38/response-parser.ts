import { XcaError } from '../errors';
import type { AdhocQueryResponse, EntryReader, IdentifiedEntry, RegistryError, RegistryResponseStatus, RimExtrinsicObject, RimObjectRef } from '../model';
import { NS, RESPONSE_STATUS } from '../soap/constants';
import { faultToError, isFaultInBody } from '../soap/fault';
import { parseXmlStream, type XmlSink, type XmlTag } from '../xml/stream-parser';
import { SubtreeBuilder, attrOf } from '../xml/subtree';
import { ExtrinsicObjectReader } from './extrinsic-object-reader';
import { readRegistryError } from './rim-reader';

/**
 * Streaming reader of an ITI-38 answer (ITI TF-2 3.38.4.2: an ebRS 3.0 AdhocQueryResponse in a SOAP 1.2 Body,
 * or bare). Elements are matched by namespace URI + local name, so any prefixes, default namespaces and
 * per-element xmlns declarations work. Only one ExtrinsicObject at a time is held as a tree.
 */

/** An element read whole: a Fault or RegistryError as a small tree, an ExtrinsicObject straight into the model. */
type Capture = { kind: 'error' | 'fault'; builder: SubtreeBuilder } | { kind: 'extrinsic'; reader: ExtrinsicObjectReader };

/**
 * ExtrinsicObjects handed to the entry reader together. One at a time, the reader's code (a search's mapping) ran
 * interleaved with the parser's and cost a 50-entry search about 15 % more CPU; holding a whole 1,000-entry answer
 * as a model made young-generation collections copy it again and again (20-27 ms pauses). In batches of 25 the
 * mapping stays hot and at most 25 models are held.
 */
const READ_BATCH = 25;

const is = (tag: XmlTag | undefined, uri: string, local: string): boolean => tag !== undefined && tag.uri === uri && tag.local === local;

class ResponseSink<E extends IdentifiedEntry> implements XmlSink {
  sawResponse = false;
  status: string | undefined;
  readonly extrinsicObjects: E[] = [];
  readonly objectRefs: RimObjectRef[] = [];
  readonly errors: RegistryError[] = [];
  private readonly path: XmlTag[] = [];
  private capture: Capture | undefined;

  private readonly unread: RimExtrinsicObject[] = [];

  constructor(private readonly read: EntryReader<E>) {}

  /** Hand the ExtrinsicObjects parsed so far to the reader, in document order. */
  flush(): void {
    for (const entry of this.unread) this.extrinsicObjects.push(this.read(entry));
    this.unread.length = 0;
  }

  open(tag: XmlTag): void {
    const { capture } = this;
    if (capture === undefined) {
      this.route(tag);
      this.path.push(tag); // the path is only read by route(), outside captured elements
    } else if (capture.kind === 'extrinsic') capture.reader.open(tag);
    else capture.builder.open(tag);
  }

  close(): void {
    const { capture } = this;
    if (capture === undefined) {
      this.path.pop();
      return;
    }
    if (capture.kind === 'extrinsic') {
      const entry = capture.reader.close();
      if (entry === undefined) return;
      this.unread.push(entry);
      if (this.unread.length >= READ_BATCH) this.flush();
    } else {
      if (!capture.builder.close()) return;
      if (capture.kind === 'fault') throw faultToError(capture.builder.root); // a Fault in a 2xx answer is still a fault
      this.errors.push(readRegistryError(capture.builder.root));
    }
    this.capture = undefined;
    this.path.pop(); // the captured element's own start tag
  }

  text(text: string): void {
    const { capture } = this;
    if (capture === undefined) return;
    if (capture.kind === 'extrinsic') capture.reader.text(text);
    else capture.builder.text(text);
  }

  /** Decide what an element outside any captured subtree means, from its parent and grandparent. */
  private route(tag: XmlTag): void {
    const parent = this.path[this.path.length - 1];
    const grandparent = this.path[this.path.length - 2];
    if (is(tag, NS.query, 'AdhocQueryResponse')) {
      // The first one at the root or directly in a SOAP Body; a second one is ignored.
      if (!this.sawResponse && (parent === undefined || is(parent, NS.soap12, 'Body') || is(parent, NS.soap11, 'Body'))) {
        this.sawResponse = true;
        this.status = attrOf(tag, 'status');
      }
    } else if (isFaultInBody(tag, parent)) {
      this.capture = { kind: 'fault', builder: new SubtreeBuilder(tag) };
    } else if (is(parent, NS.rim, 'RegistryObjectList') && is(grandparent, NS.query, 'AdhocQueryResponse')) {
      // Other RegistryObjectList members (RegistryPackage, Association, Classification) are not documents.
      if (tag.uri !== NS.rim) return;
      if (tag.local === 'ExtrinsicObject') this.capture = { kind: 'extrinsic', reader: new ExtrinsicObjectReader(tag) };
      else if (tag.local === 'ObjectRef') this.objectRefs.push(readObjectRef(tag));
    } else if (is(tag, NS.rs, 'RegistryError') && is(parent, NS.rs, 'RegistryErrorList') && is(grandparent, NS.query, 'AdhocQueryResponse')) {
      this.capture = { kind: 'error', builder: new SubtreeBuilder(tag) };
    }
  }
}

function readObjectRef(tag: XmlTag): RimObjectRef {
  const id = attrOf(tag, 'id');
  if (id === undefined) throw new XcaError('unparseable', 'The ITI-38 response holds an ObjectRef without an id');
  const home = attrOf(tag, 'home'); // home="" (NIST samples) means "not stated"
  return home === undefined ? { id } : { id, home };
}

function toStatus(status: string | undefined): RegistryResponseStatus {
  if (status === undefined) throw new XcaError('unparseable', 'The ITI-38 response has no status on its AdhocQueryResponse');
  const mapped = (RESPONSE_STATUS as Readonly<Record<string, RegistryResponseStatus>>)[status];
  if (mapped === undefined) throw new XcaError('unparseable', 'The ITI-38 response has an unknown AdhocQueryResponse status');
  return mapped;
}

/**
 * Parse an ITI-38 answer as it streams in. Registry errors (status Failure / PartialSuccess and RegistryErrors)
 * are returned, not thrown. Throws XcaError: 'soap-fault' (a SOAP Fault in the Body), 'oversize' (more than
 * maxBytes, or an inflated value), 'unparseable' (no AdhocQueryResponse, no/unknown status, not well-formed,
 * truncated, any DOCTYPE, nesting too deep).
 */
export function parseAdhocQueryResponse(source: AsyncIterable<Buffer | string>, opts: { maxBytes: number }): Promise<AdhocQueryResponse>;
/** The same, keeping what `opts.read` makes of each ExtrinsicObject as soon as it is parsed. */
export function parseAdhocQueryResponse<E extends IdentifiedEntry>(source: AsyncIterable<Buffer | string>, opts: { maxBytes: number; read: EntryReader<E> }): Promise<AdhocQueryResponse<E>>;
export function parseAdhocQueryResponse<E extends IdentifiedEntry>(source: AsyncIterable<Buffer | string>, opts: { maxBytes: number; read?: EntryReader<E> }): Promise<AdhocQueryResponse<E | RimExtrinsicObject>> {
  return readResponse<E | RimExtrinsicObject>(source, opts.maxBytes, opts.read ?? keepObject);
}

/** The default reader: the ExtrinsicObject itself. */
export const keepObject: EntryReader<RimExtrinsicObject> = (entry) => entry;

async function readResponse<E extends IdentifiedEntry>(source: AsyncIterable<Buffer | string>, maxBytes: number, read: EntryReader<E>): Promise<AdhocQueryResponse<E>> {
  const sink = new ResponseSink(read);
  await parseXmlStream(source, sink, { maxBytes, what: 'ITI-38 response' });
  sink.flush();
  if (!sink.sawResponse) throw new XcaError('unparseable', 'The ITI-38 response holds no AdhocQueryResponse');
  return {
    status: toStatus(sink.status),
    extrinsicObjects: sink.extrinsicObjects,
    objectRefs: sink.objectRefs,
    errors: sink.errors,
  };
}
