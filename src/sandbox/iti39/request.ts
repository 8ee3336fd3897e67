import { readDocumentRequests, type DocumentRequest } from '../retrieve/document-request';
import { NS } from '../soap/constants';
import { SoapFault } from '../soap/fault';
import { qname, type XmlElement } from '../xml/tree';

/**
 * The body of an ITI-39 request: xdsb:RetrieveDocumentSetRequest holding one or more DocumentRequest (ITI TF-2
 * 3.39.4.1.2, the XDS.b message of 3.43.4.1.2). Anything else in env:Body is a Sender fault.
 */
export function readRetrieveDocumentSetRequest(body: XmlElement): DocumentRequest[] {
  if (body.ns !== NS.xdsb || body.local !== 'RetrieveDocumentSetRequest') {
    throw SoapFault.sender(`Unexpected element ${qname(body.ns, body.local)} found. Expected ${qname(NS.xdsb, 'RetrieveDocumentSetRequest')}.`);
  }
  return readDocumentRequests(body);
}
