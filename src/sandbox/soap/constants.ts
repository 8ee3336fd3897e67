/**
 * Namespaces and WS-Addressing action URIs the sandbox speaks. SOAP 1.2 (W3C SOAP 1.2 Part 1), WS-Addressing 1.0
 * (W3C WS-Addressing SOAP Binding), ebRS/ebRIM 3.0 (OASIS), and the IHE actions of ITI TF-2 3.38 / 3.39 and
 * RAD TF-3 4.75 (action URIs from ITI TF-2 Appendix V, Table V.3.2.1-1).
 */
export const NS = {
  soap12: 'http://www.w3.org/2003/05/soap-envelope',
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  wsa: 'http://www.w3.org/2005/08/addressing',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  query: 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0',
  rim: 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0',
  rs: 'urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0',
  /** XDS.b retrieve messages (ITI TF-2 3.43), reused by ITI-39 and as RAD-75's response. */
  xdsb: 'urn:ihe:iti:xds-b:2007',
  /** XDS-I.b imaging retrieve request (RAD TF-3 4.69 / 4.75). */
  xdsi: 'urn:ihe:rad:xdsi-b:2009',
  /** XOP 1.0 xop:Include, the reference from the SOAP part to an MTOM attachment. */
  xop: 'http://www.w3.org/2004/08/xop/include',
} as const;

export const ACTIONS = {
  iti38: 'urn:ihe:iti:2007:CrossGatewayQuery',
  iti38Response: 'urn:ihe:iti:2007:CrossGatewayQueryResponse',
  iti39: 'urn:ihe:iti:2007:CrossGatewayRetrieve',
  iti39Response: 'urn:ihe:iti:2007:CrossGatewayRetrieveResponse',
  rad75: 'urn:ihe:rad:2011:CrossGatewayRetrieveImagingDocumentSet',
  rad75Response: 'urn:ihe:rad:2011:CrossGatewayRetrieveImagingDocumentSetResponse',
  /** WS-Addressing 1.0 SOAP Binding 6: action of faults defined by WS-Addressing itself. */
  wsaFault: 'http://www.w3.org/2005/08/addressing/fault',
  /** WS-Addressing 1.0 SOAP Binding 6: action of other SOAP faults. */
  soapFault: 'http://www.w3.org/2005/08/addressing/soap/fault',
} as const;

/** WS-Addressing anonymous address: reply on the HTTP response (the only mode IHE synchronous exchanges use). */
export const WSA_ANONYMOUS = 'http://www.w3.org/2005/08/addressing/anonymous';

/** SOAP 1.2 roles a header block can target at this node (SOAP 1.2 Part 1, 2.2). */
export const SOAP_ROLES_HANDLED = new Set(['http://www.w3.org/2003/05/soap-envelope/role/next', 'http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver']);
