/**
 * FHIR R4 XML (application/fhir+xml) for every resource the service emits: IHE MHD requires a Document
 * Responder to answer in XML as well as JSON (ITI-67/ITI-68, `_format=xml`). See write.ts for why this is a
 * small structure-definition-driven serialiser rather than a third-party library.
 */
export { toFhirXml } from './write';
export { fromFhirXml } from './read';
export { FhirXmlError, FHIR_NS, XHTML_NS } from './errors';
export type { XmlLimits } from './xml-tree';

/** The FHIR XML media type (FHIR R4 http.html 3.1.0.1.10). */
export const FHIR_XML = 'application/fhir+xml';
