/**
 * Why a resource could not be written as, or read from, FHIR XML. `path` is the FHIRPath-like location of the
 * problem (e.g. "DocumentReference.content[0].attachment.bogus") so that a caller can point at the field; for
 * parse errors of the XML itself it is the element path reached so far.
 */
export class FhirXmlError extends Error {
  override readonly name = 'FhirXmlError';

  constructor(
    message: string,
    readonly path: string,
  ) {
    super(path === '' ? message : `${path}: ${message}`);
  }
}

/** FHIR R4 xml.html: every FHIR element is in this namespace. */
export const FHIR_NS = 'http://hl7.org/fhir';
/** FHIR R4 narrative.html: Narrative.div is XHTML, in the XHTML namespace. */
export const XHTML_NS = 'http://www.w3.org/1999/xhtml';
