import { parseXml } from '../../../src/sandbox/xml/parse';
import { attr, type XmlElement } from '../../../src/sandbox/xml/tree';

/** Test helpers: build ITI-38 requests by hand (so each strictness rule can be broken on purpose) and read answers. */
export const NS = {
  soap: 'http://www.w3.org/2003/05/soap-envelope',
  wsa: 'http://www.w3.org/2005/08/addressing',
  query: 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0',
  rim: 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0',
  rs: 'urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0',
};
export const FIND_DOCUMENTS = 'urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d';
export const FIND_BY_REFERENCE_ID = 'urn:uuid:12941a89-e02e-4be5-967c-ce4bfc8fe492';
export const GET_DOCUMENTS = 'urn:uuid:5c4f972b-d56b-40ac-a5fc-c8ca9b40b9d4';
export const ITI38_ACTION = 'urn:ihe:iti:2007:CrossGatewayQuery';
export const APPROVED = "('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')";
export const DEPRECATED = "('urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated')";
export const HOME_A = 'urn:oid:2.999.1.1';
export const HOME_B = 'urn:oid:2.999.1.2';

export type Slots = ReadonlyArray<readonly [string, readonly string[]]>;

export function patientSlot(nhs: string): readonly [string, readonly string[]] {
  return ['$XDSDocumentEntryPatientId', [`'${nhs}^^^&2.16.840.1.113883.2.1.4.1&ISO'`]];
}

/** FindDocuments slots for a patient, current documents, plus extra slots. */
export function findSlots(nhs: string, ...extra: Slots): Slots {
  return [patientSlot(nhs), ['$XDSDocumentEntryStatus', [APPROVED]], ...extra];
}

export interface RequestOptions {
  readonly queryId?: string;
  readonly home?: string | null;
  readonly returnType?: string;
  readonly slots: Slots;
  readonly action?: string;
  readonly messageId?: string | null;
  readonly to?: string | null;
  readonly extraHeader?: string;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

export function iti38Request(o: RequestOptions): string {
  const slots = o.slots
    .map(([name, values]) => `<rim:Slot name="${esc(name)}"><rim:ValueList>${values.map((v) => `<rim:Value>${esc(v)}</rim:Value>`).join('')}</rim:ValueList></rim:Slot>`)
    .join('');
  const home = o.home === null ? '' : ` home="${esc(o.home ?? HOME_A)}"`;
  const messageId = o.messageId === null ? '' : `<wsa:MessageID>${o.messageId ?? 'urn:uuid:0b7b3c1e-1f0e-4f39-9d55-1c0d4b3f0001'}</wsa:MessageID>`;
  const to = o.to === null ? '' : `<wsa:To>${o.to ?? 'http://127.0.0.1/xca/iti38'}</wsa:To>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="${NS.soap}" xmlns:wsa="${NS.wsa}"><soap:Header>` +
    `<wsa:Action soap:mustUnderstand="1">${o.action ?? ITI38_ACTION}</wsa:Action>${messageId}` +
    `<wsa:ReplyTo><wsa:Address>http://www.w3.org/2005/08/addressing/anonymous</wsa:Address></wsa:ReplyTo>${to}${o.extraHeader ?? ''}</soap:Header><soap:Body>` +
    `<query:AdhocQueryRequest xmlns:query="${NS.query}" xmlns:rim="${NS.rim}"><query:ResponseOption returnComposedObjects="true" returnType="${o.returnType ?? 'LeafClass'}"/>` +
    `<rim:AdhocQuery id="${o.queryId ?? FIND_DOCUMENTS}"${home}>${slots}</rim:AdhocQuery></query:AdhocQueryRequest></soap:Body></soap:Envelope>`
  );
}

export function soapContentType(action = ITI38_ACTION): string {
  return `application/soap+xml; charset=UTF-8; action="${action}"`;
}

export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  readonly root: XmlElement;
}

export async function post(url: string, body: string, contentType: string = soapContentType()): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': contentType }, body });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, root: parseXml(text) };
}

export function descendants(el: XmlElement, ns: string, local: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) {
    if (c.ns === ns && c.local === local) out.push(c);
    out.push(...descendants(c, ns, local));
  }
  return out;
}

/** The gist of an ITI-38 answer: registry status, errors, returned ids, addressing, fault. */
export function summary(root: XmlElement) {
  const response = descendants(root, NS.query, 'AdhocQueryResponse')[0];
  const fault = descendants(root, NS.soap, 'Fault')[0];
  const value = (el: XmlElement | undefined, ns: string, local: string): string | undefined => (el ? descendants(el, ns, local)[0]?.text.trim() : undefined);
  return {
    status: response ? attr(response, 'status')?.split(':').pop() : undefined,
    errors: descendants(root, NS.rs, 'RegistryError').map((e) => ({ errorCode: attr(e, 'errorCode'), codeContext: attr(e, 'codeContext'), location: attr(e, 'location') })),
    extrinsicObjects: descendants(root, NS.rim, 'ExtrinsicObject'),
    objectRefs: descendants(root, NS.rim, 'ObjectRef'),
    action: value(root, NS.wsa, 'Action'),
    relatesTo: value(root, NS.wsa, 'RelatesTo'),
    faultCode: fault ? value(descendants(fault, NS.soap, 'Code')[0], NS.soap, 'Value') : undefined,
    faultSubcode: fault ? value(descendants(fault, NS.soap, 'Subcode')[0], NS.soap, 'Value') : undefined,
    faultReason: fault ? value(fault, NS.soap, 'Text') : undefined,
  };
}

/** uniqueIds of the returned ExtrinsicObjects. */
export function uniqueIds(root: XmlElement): string[] {
  return summary(root).extrinsicObjects.map((eo) => {
    const ext = eo.children.find((c) => c.local === 'ExternalIdentifier' && attr(c, 'identificationScheme') === 'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab');
    return ext ? (attr(ext, 'value') ?? '') : '';
  });
}
