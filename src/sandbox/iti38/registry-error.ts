/**
 * An error a registry reports inside a well-formed AdhocQueryResponse (status Failure + RegistryErrorList), as
 * opposed to a SOAP Fault. Codes from ITI TF-3 Table 4.2.4.1-2 and ITI TF-2 3.38.4.1.3 (XCA).
 */
export type RegistryErrorCode =
  | 'XDSRegistryError'
  | 'XDSStoredQueryMissingParam'
  | 'XDSStoredQueryParamNumber'
  | 'XDSUnknownStoredQuery'
  | 'XDSUnknownPatientId'
  | 'XDSUnknownCommunity'
  | 'XDSMissingHomeCommunityId';

/** Thrown while reading or running a query; the handler turns it into a Failure response with one RegistryError. */
export class RegistryQueryError extends Error {
  /** Error code; a seed may name any string here (e.g. to simulate a vendor code), hence `string`. */
  readonly errorCode: string;

  constructor(errorCode: RegistryErrorCode | (string & {}), codeContext: string) {
    super(codeContext);
    this.name = 'RegistryQueryError';
    this.errorCode = errorCode;
  }

  /** codeContext: the human-readable explanation (the Error message). */
  get codeContext(): string {
    return this.message;
  }
}
