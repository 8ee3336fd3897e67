import { readDocumentRequests, type DocumentRequest } from '../retrieve/document-request';
import { NS } from '../soap/constants';
import { SoapFault } from '../soap/fault';
import { attr, qname, type XmlElement } from '../xml/tree';

/**
 * The body of a RAD-75 request (RAD TF-3 4.75.4.1.2, XDSI.b_ImagingDocumentSource.xsd): iherad:
 * RetrieveImagingDocumentSetRequest holding one or more StudyRequest@studyInstanceUID, each with one or more
 * SeriesRequest@seriesInstanceUID of XDS.b DocumentRequests (DocumentUniqueId = SOP Instance UID), then one
 * TransferSyntaxUIDList of one or more TransferSyntaxUID. Schema violations are Sender faults.
 */
export interface ImagingDocumentRequest extends DocumentRequest {
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
}

export interface Rad75Request {
  readonly documents: readonly ImagingDocumentRequest[];
  /** Transfer syntaxes the requester accepts, in its order of preference. */
  readonly transferSyntaxUids: readonly string[];
}

function children(parent: XmlElement, local: string): XmlElement[] {
  const stray = parent.children.find((c) => c.ns !== NS.xdsi || c.local !== local);
  if (stray !== undefined) throw SoapFault.sender(`unexpected element ${qname(stray.ns, stray.local)} in ${qname(parent.ns, parent.local)}; expected ${qname(NS.xdsi, local)}`);
  if (parent.children.length === 0) throw SoapFault.sender(`${qname(parent.ns, parent.local)} holds no ${local}`);
  return [...parent.children];
}

function requiredAttribute(el: XmlElement, name: string): string {
  const value = attr(el, name)?.trim();
  if (value === undefined || value === '') throw SoapFault.sender(`${el.local} has no ${name} attribute`);
  return value;
}

function readStudy(study: XmlElement): ImagingDocumentRequest[] {
  const studyInstanceUid = requiredAttribute(study, 'studyInstanceUID');
  return children(study, 'SeriesRequest').flatMap((series) => {
    const seriesInstanceUid = requiredAttribute(series, 'seriesInstanceUID');
    return readDocumentRequests(series).map((d) => ({ ...d, studyInstanceUid, seriesInstanceUid }));
  });
}

function readTransferSyntaxes(list: XmlElement): string[] {
  return children(list, 'TransferSyntaxUID').map((uid) => {
    if (uid.children.length > 0) throw SoapFault.sender('TransferSyntaxUID must hold text only');
    return uid.text.trim();
  });
}

/** Read iherad:RetrieveImagingDocumentSetRequest. */
export function readRetrieveImagingDocumentSetRequest(body: XmlElement): Rad75Request {
  if (body.ns !== NS.xdsi || body.local !== 'RetrieveImagingDocumentSetRequest') {
    throw SoapFault.sender(`Unexpected element ${qname(body.ns, body.local)} found. Expected ${qname(NS.xdsi, 'RetrieveImagingDocumentSetRequest')}.`);
  }
  const list = body.children[body.children.length - 1];
  if (list === undefined || list.ns !== NS.xdsi || list.local !== 'TransferSyntaxUIDList') {
    throw SoapFault.sender('RetrieveImagingDocumentSetRequest must end with one TransferSyntaxUIDList');
  }
  const studies = { ...body, children: body.children.slice(0, -1) };
  return { documents: children(studies, 'StudyRequest').flatMap(readStudy), transferSyntaxUids: readTransferSyntaxes(list) };
}
