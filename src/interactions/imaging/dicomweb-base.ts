/**
 * Where the facade's DICOMweb door is, as the client sees it: `<origin>/dicomweb/{manifestId}`, origin being the
 * public FHIR base without its trailing `/fhir` (app.ts mounts /fhir and /dicomweb side by side). A public base
 * not ending in /fhir is taken to be proxied at its own path, so the door is looked for at the URL's origin.
 */
export function dicomWebRoot(fhirBaseUrl: string): string {
  const base = fhirBaseUrl.replace(/\/+$/, '');
  if (/\/fhir$/i.test(base)) return `${base.slice(0, -'/fhir'.length)}/dicomweb`;
  return `${new URL(base).origin}/dicomweb`;
}

/** The DICOMweb (WADO-RS) root of one manifest: the ImagingStudy's Endpoint.address. */
export function dicomWebBase(fhirBaseUrl: string, manifestId: string): string {
  return `${dicomWebRoot(fhirBaseUrl)}/${manifestId}`;
}
