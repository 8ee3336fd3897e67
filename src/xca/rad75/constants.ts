/**
 * Wire constants of RAD-75 Cross Gateway Retrieve Imaging Document Set (RAD TF-3 4.75). The request is the
 * XDS-I.b RetrieveImagingDocumentSetRequest of RAD-69 (RAD TF-3 4.69.4.1.2, schema
 * XDSI.b_ImagingDocumentSource.xsd); the answer is the XDS.b RetrieveDocumentSetResponse (ITI TF-2 3.43.4.2),
 * whose namespace is ITI39_NS.xdsb.
 */

/** The XDS-I.b namespace of RetrieveImagingDocumentSetRequest, StudyRequest, SeriesRequest, TransferSyntaxUIDList. */
export const RAD75_NS = {
  xdsi: 'urn:ihe:rad:xdsi-b:2009',
} as const;

/** WS-Addressing actions (RAD TF-3 4.75.4.1.2, 4.75.4.2.2; the IHE RAD-75 WSDL). */
export const RAD75_ACTION = {
  request: 'urn:ihe:rad:2011:CrossGatewayRetrieveImagingDocumentSet',
  response: 'urn:ihe:rad:2011:CrossGatewayRetrieveImagingDocumentSetResponse',
} as const;

/** What the answer is called in error messages. */
export const RAD75_WHAT = 'RAD-75 response';

/** Bounds specific to the imaging retrieve; the rest are ITI39_LIMITS. */
export const RAD75_LIMITS = {
  /**
   * Longest DICOM UID (Study, Series, SOP Instance, Transfer Syntax): 64 characters of digits and dots
   * (DICOM PS3.5 section 9.1).
   */
  maxUidChars: 64,
  /** rim:LongName, the type of HomeCommunityId and RepositoryUniqueId in XDS.b_DocumentRepository.xsd. */
  maxLongNameChars: 256,
} as const;
