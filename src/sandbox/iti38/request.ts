import { NS } from '../soap/constants';
import { SoapFault } from '../soap/fault';
import { attr, childrenNamed, qname, type XmlElement } from '../xml/tree';
import type { RawSlot } from './query-types';
import { RegistryQueryError } from './registry-error';

/**
 * Reads the body of an ITI-38 request: query:AdhocQueryRequest (ebRS 3.0 query.xsd) holding an optional
 * rs:RequestSlotList, query:ResponseOption and rim:AdhocQuery. What query.xsd / rim.xsd would reject is a SOAP
 * Fault (env:Sender); what is schema-valid but not a query this gateway can run is a RegistryQueryError.
 */
export interface AdhocQueryRequest {
  readonly queryId: string;
  /** AdhocQuery@home, the community asked (ITI TF-2 3.38.4.1.2.1). */
  readonly home: string | undefined;
  readonly returnType: 'LeafClass' | 'ObjectRef';
  readonly slots: readonly RawSlot[];
}

/** ebRS 3.0 query.xsd ResponseOption/@returnType enumeration; its default is RegistryObject. */
const RETURN_TYPES = new Set(['ObjectRef', 'RegistryObject', 'LeafClass', 'LeafClassWithRepositoryItem']);
/** rim:AdhocQuery children rim.xsd allows besides Slot; the sandbox ignores them. */
const IGNORED_ADHOC_CHILDREN = new Set(['Name', 'Description', 'VersionInfo', 'Classification', 'ExternalIdentifier', 'QueryExpression']);

function expectShape(request: XmlElement): { option: XmlElement; query: XmlElement } {
  const names = request.children.map((c) => qname(c.ns, c.local));
  const rest = request.children[0]?.ns === NS.rs && request.children[0].local === 'RequestSlotList' ? request.children.slice(1) : request.children;
  const [option, query] = rest;
  const fits = rest.length === 2 && option?.ns === NS.query && option.local === 'ResponseOption' && query?.ns === NS.rim && query.local === 'AdhocQuery';
  if (!fits || option === undefined || query === undefined) {
    throw SoapFault.sender(`AdhocQueryRequest must hold query:ResponseOption then rim:AdhocQuery; found [${names.join(', ')}]`);
  }
  return { option, query };
}

function readReturnType(option: XmlElement): 'LeafClass' | 'ObjectRef' {
  const composed = attr(option, 'returnComposedObjects');
  if (composed !== undefined && !['true', 'false', '1', '0'].includes(composed)) throw SoapFault.sender(`ResponseOption/@returnComposedObjects must be a boolean, found "${composed}"`);
  const returnType = attr(option, 'returnType') ?? 'RegistryObject';
  if (!RETURN_TYPES.has(returnType)) throw SoapFault.sender(`ResponseOption/@returnType "${returnType}" is not an ebRS return type`);
  if (returnType !== 'LeafClass' && returnType !== 'ObjectRef') {
    throw new RegistryQueryError('XDSRegistryError', `returnType ${returnType} is not supported: ITI-38 uses LeafClass or ObjectRef (ITI TF-2 3.18.4.1.2.1)`);
  }
  return returnType;
}

function readSlot(slot: XmlElement): RawSlot {
  const name = attr(slot, 'name');
  if (name === undefined || name === '') throw SoapFault.sender('rim:Slot without a name attribute');
  const lists = slot.children;
  const list = lists[0];
  if (lists.length !== 1 || list === undefined || list.ns !== NS.rim || list.local !== 'ValueList') throw SoapFault.sender(`rim:Slot ${name} must hold exactly one rim:ValueList`);
  const values = list.children.map((v) => {
    if (v.ns !== NS.rim || v.local !== 'Value' || v.children.length > 0) throw SoapFault.sender(`rim:ValueList of slot ${name} may hold only rim:Value text elements`);
    return v.text;
  });
  return { name, values };
}

function readSlots(query: XmlElement): RawSlot[] {
  for (const child of query.children) {
    const allowed = child.ns === NS.rim && (child.local === 'Slot' || IGNORED_ADHOC_CHILDREN.has(child.local));
    if (!allowed) throw SoapFault.sender(`unexpected element ${qname(child.ns, child.local)} in rim:AdhocQuery`);
  }
  return childrenNamed(query, NS.rim, 'Slot').map(readSlot);
}

/** Read query:AdhocQueryRequest. Throws SoapFault for schema violations, RegistryQueryError for unsupported options. */
export function readAdhocQueryRequest(body: XmlElement): AdhocQueryRequest {
  if (body.ns !== NS.query || body.local !== 'AdhocQueryRequest') {
    throw SoapFault.sender(`Unexpected element ${qname(body.ns, body.local)} found. Expected ${qname(NS.query, 'AdhocQueryRequest')}.`);
  }
  const { option, query } = expectShape(body);
  const queryId = attr(query, 'id');
  if (queryId === undefined || queryId.trim() === '') throw SoapFault.sender('rim:AdhocQuery has no id attribute');
  const slots = readSlots(query);
  return { queryId: queryId.trim(), home: attr(query, 'home')?.trim(), returnType: readReturnType(option), slots };
}
