import { NS } from '../soap/constants';
import { SoapFault } from '../soap/fault';
import { qname, type XmlElement } from '../xml/tree';

/**
 * Reads the XDS.b DocumentRequest element shared by ITI-39 (RetrieveDocumentSetRequest, ITI TF-2 3.43.4.1.2) and
 * RAD-75 (inside SeriesRequest, RAD TF-3 4.75.4.1.2). XDS.b_DocumentRepository.xsd makes it a sequence of
 * HomeCommunityId (optional in XDS.b, required by XCA: ITI TF-2 3.39.4.1.2), RepositoryUniqueId and
 * DocumentUniqueId, each a rim:LongName (at most 256 characters). What the schema would refuse is a SOAP Fault;
 * what it allows but this gateway cannot serve becomes a RegistryError later (checks.ts).
 */
export interface DocumentRequest {
  /** Absent when the element was left out (XCA requires it: XDSMissingHomeCommunityId). */
  readonly homeCommunityId: string | undefined;
  readonly repositoryUniqueId: string;
  readonly documentUniqueId: string;
}

const FIELDS = ['HomeCommunityId', 'RepositoryUniqueId', 'DocumentUniqueId'] as const;
const MAX_LONG_NAME = 256;

function textOf(el: XmlElement): string {
  const where = qname(el.ns, el.local);
  if (el.children.length > 0) throw SoapFault.sender(`${where} must hold text only`);
  const value = el.text.trim();
  if (value.length > MAX_LONG_NAME) throw SoapFault.sender(`${where} is longer than a rim:LongName (${MAX_LONG_NAME} characters)`);
  return value;
}

/** One xdsb:DocumentRequest, its children in schema order. */
export function readDocumentRequest(el: XmlElement): DocumentRequest {
  const names = el.children.map((c) => (c.ns === NS.xdsb ? c.local : qname(c.ns, c.local)));
  const expected = names[0] === 'HomeCommunityId' ? FIELDS : FIELDS.slice(1);
  if (names.join(',') !== expected.join(',')) {
    throw SoapFault.sender(`DocumentRequest must hold [HomeCommunityId,] RepositoryUniqueId, DocumentUniqueId in that order (namespace ${NS.xdsb}); found [${names.join(', ')}]`);
  }
  const values = el.children.map(textOf);
  const [home, repository, document] = expected.length === 3 ? values : [undefined, ...values];
  return { homeCommunityId: home, repositoryUniqueId: repository as string, documentUniqueId: document as string };
}

/** The DocumentRequest children of `parent` (at least one, and nothing else), read in order. */
export function readDocumentRequests(parent: XmlElement): DocumentRequest[] {
  const where = qname(parent.ns, parent.local);
  const stray = parent.children.find((c) => c.ns !== NS.xdsb || c.local !== 'DocumentRequest');
  if (stray !== undefined) throw SoapFault.sender(`unexpected element ${qname(stray.ns, stray.local)} in ${where}; expected ${qname(NS.xdsb, 'DocumentRequest')}`);
  if (parent.children.length === 0) throw SoapFault.sender(`${where} holds no DocumentRequest`);
  return parent.children.map(readDocumentRequest);
}
