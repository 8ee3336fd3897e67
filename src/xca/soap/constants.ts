/**
 * Every wire constant of the XCA layer in one place: namespaces, WS-Addressing actions, ebRS status URNs and the
 * defensive limits applied to what a responding gateway sends. Stored-query ids and slot names are NOT here: they
 * are data in mappings/stored-queries.json (ITI TF-2 3.18.4.1.2.3.7).
 */

/** XML namespaces, matched by URI (never by prefix) when reading. */
export const NS = {
  /** SOAP 1.2 envelope (W3C SOAP 1.2 Part 1); ITI TF-2 Appendix V mandates SOAP 1.2. */
  soap12: 'http://www.w3.org/2003/05/soap-envelope',
  /** SOAP 1.1 envelope: never sent, but a Fault in it is still read. */
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  /** WS-Addressing 1.0 Core (ITI TF-2 Appendix V.3.1). */
  wsa: 'http://www.w3.org/2005/08/addressing',
  /** ebRS 3.0 query (AdhocQueryRequest / AdhocQueryResponse). */
  query: 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0',
  /** ebRIM 3.0 (AdhocQuery, RegistryObjectList, ExtrinsicObject, Slot, ...). */
  rim: 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0',
  /** ebRS 3.0 registry services (RegistryErrorList / RegistryError). */
  rs: 'urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0',
  /** The reserved xml: prefix (xml:lang). */
  xml: 'http://www.w3.org/XML/1998/namespace',
  /** Namespace declarations themselves (xmlns / xmlns:p), skipped when reading attributes. */
  xmlns: 'http://www.w3.org/2000/xmlns/',
} as const;

/** WS-Addressing values (ITI TF-2 Appendix V; ITI TF-2 3.38.4.1.2 / 3.38.4.2.2 for the ITI-38 actions). */
export const WSA = {
  anonymous: 'http://www.w3.org/2005/08/addressing/anonymous',
  iti38Request: 'urn:ihe:iti:2007:CrossGatewayQuery',
  iti38Response: 'urn:ihe:iti:2007:CrossGatewayQueryResponse',
} as const;

/**
 * AdhocQueryResponse@status values (ebRS 3.0; ITI TF-2 3.18.4.1.3 / 3.38.4.2.3). PartialSuccess exists in the IHE
 * form ITI-38 names and in the ebRS-namespaced form some responders send; both are accepted. Anything else is
 * refused as unparseable rather than guessed at.
 */
export const RESPONSE_STATUS = {
  'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success': 'Success',
  'urn:ihe:iti:2007:ResponseStatusType:PartialSuccess': 'PartialSuccess',
  'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:PartialSuccess': 'PartialSuccess',
  'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure': 'Failure',
} as const;

/** rs:RegistryError@severity default (ebRS 3.0 rs.xsd). */
export const DEFAULT_ERROR_SEVERITY = 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error';

/** Limits on what a (possibly hostile) peer can make us hold or do while reading its XML. */
export const XML_LIMITS = {
  /** Slice size for feeding the SAX parser; the event loop gets a turn after each slice (see xml/stream-driver.ts). */
  sliceBytes: 64 * 1024,
  /** ebRIM responses nest ~9 deep, signed SOAP headers ~15: 64 is generous and stops stack-style bombs. */
  maxDepth: 64,
  /** Longest text content of one element we keep (a Slot Value is 256 characters in ebRIM 3.0). */
  maxTextChars: 256 * 1024,
  /** Longest single attribute value. */
  maxAttributeChars: 64 * 1024,
  /** How much of a non-2xx answer we read looking for a SOAP Fault. */
  maxFaultBytes: 256 * 1024,
  /** How much of a SOAP Fault reason goes into an error message. */
  maxReasonChars: 300,
} as const;

/** GetDocuments requests run at most this many at once against one community when resolving ObjectRefs. */
export const OBJECT_REF_CONCURRENCY = 4;
