/**
 * Wire constants of ITI-39 Cross Gateway Retrieve (ITI TF-2 3.39) and of the XDS.b retrieve messages it reuses
 * (ITI TF-2 3.43, schema XDS.b_DocumentRepository.xsd). They sit here rather than in soap/constants.ts only
 * because that file belongs to the ITI-38 work; they can move there unchanged.
 */

/** XML namespaces of the retrieve messages, matched by URI when reading. */
export const ITI39_NS = {
  /** RetrieveDocumentSetRequest / RetrieveDocumentSetResponse (ITI TF-2 3.43.4.1.2, 3.43.4.2.2). */
  xdsb: 'urn:ihe:iti:xds-b:2007',
  /** xop:Include, the MTOM reference to a MIME part (W3C XOP 1.0 section 3.1). */
  xop: 'http://www.w3.org/2004/08/xop/include',
} as const;

/** WS-Addressing actions (ITI TF-2 3.39.4.1.2 and 3.39.4.2.2). */
export const ITI39_ACTION = {
  request: 'urn:ihe:iti:2007:CrossGatewayRetrieve',
  response: 'urn:ihe:iti:2007:CrossGatewayRetrieveResponse',
} as const;

/** Bounds of what an ITI-39 answer may make us hold in memory; the document itself streams when sent as MTOM. */
export const ITI39_LIMITS = {
  /**
   * Largest document accepted inline (base64 in <Document>, no MTOM attachment): 64 MiB decoded. An inline
   * document is one XML text node, and an XML parser hands a text node over only once it is complete, so such
   * a document is necessarily held in memory (as base64 text, then bytes) before a single byte can be sent on.
   */
  maxInlineBytes: 64 * 1024 * 1024,
  /** Room for the SOAP envelope, headers and signatures around an inline document. */
  envelopeAllowanceBytes: 1024 * 1024,
  /** base64 makes 4 characters of 3 bytes; line breaks (76-character lines, maybe as &#13;) add up to ~10 %. */
  base64Expansion: (4 / 3) * 1.1,
  /** Longest wait for the next bytes of a streaming document when the caller sets none. */
  idleMs: 30_000,
  /** After the document has been read, how long trailing parts and the close delimiter may take before we drop the connection. */
  drainMs: 5000,
} as const;

/** Accept header of a retrieve: MTOM is what ITI TF-2 Appendix V asks for; plain SOAP is read as well. */
export const ITI39_ACCEPT = 'multipart/related, application/soap+xml, application/xop+xml, text/xml';
