import type { Coding, Endpoint, Identifier, ImagingStudy, ImagingStudySeries, ImagingStudySeriesInstance, Reference } from 'fhir/r4';
import { dicomToFhirDateTime } from '../imaging/dicom-datetime';
import { isCodeString, isDicomUid, OTHER_MODALITY } from '../imaging/dicom-dictionary';
import type { KosInstance, KosManifest, KosSeries } from '../imaging/kos-model';
import { codeSystemByKey, nhsNumberSystem } from '../mappings/code-systems';

/**
 * KosManifest (a parsed DICOM KOS, imaging/kos.ts) -> FHIR R4 ImagingStudy, the answer to GET ImagingStudy/{id}
 * (FHIR R4 ImagingStudy; IHE MADO Table 4.3-1 "MADO DICOM KOS <-> FHIR mapping" and MadoImagingStudy for what each
 * element carries). One ImagingStudy per manifest study: evidence series of other studies are left out.
 * The images are reached through one contained Endpoint, the facade's own DICOMweb (WADO-RS) door.
 */

export interface ImagingStudyContext {
  /** The resource id. */
  readonly id: string;
  /** The patient's NHS number: the subject (as for DocumentReference). */
  readonly nhsNumber: string;
  /** The DICOMweb root serving this manifest's study, e.g. https://host/dicomweb/<manifestId>. */
  readonly dicomWebBase: string;
  /** DCM modality codes of the XDS eventCodeList: the series modality when the manifest has none and they name one. */
  readonly eventModalities?: readonly string[];
}

/** FHIR R4 ImagingStudy.identifier notes: a DICOM UID is written with system urn:dicom:uid, value urn:oid:<uid>. */
const DICOM_UID_SYSTEM = 'urn:dicom:uid';
/** ImagingStudy.series.instance.sopClass: a URI coding of the SOP Class UID (FHIR R4 sopclass binding; MADO examples). */
const URI_SYSTEM = 'urn:ietf:rfc:3986';
const URN_OID = 'urn:oid:';
/** HL7 v2 Table 0203 "ACSN" (Accession ID): the accession number identifier type (FHIR R4 ImagingStudy.identifier). */
const ACCESSION_TYPE = 'ACSN';
/** FHIR R4 Endpoint connection type and MADO MadoWadoEndpoint (payloadType text, payloadMimeType application/dicom). */
const ENDPOINT = {
  id: 'dicomweb',
  connectionTypeSystem: 'http://terminology.hl7.org/CodeSystem/endpoint-connection-type',
  connectionType: 'dicom-wado-rs',
  payloadType: 'DICOM WADO-RS',
  payloadMimeType: 'application/dicom',
} as const;

function dcm(code: string): Coding {
  return { system: codeSystemByKey('dicom-dcm').uri, code };
}

/** The modality for series the manifest gives none: the one event code when there is exactly one, else OT. */
function fallbackModality(eventModalities: readonly string[] = []): string {
  const distinct = [...new Set(eventModalities.map((c) => c.trim()).filter(isCodeString))];
  return distinct.length === 1 ? (distinct[0] as string) : OTHER_MODALITY;
}

/** FHIR unsignedInt (series.number, instance.number): DICOM IS may be negative, FHIR may not. */
function unsignedInt(value: number | undefined): number | undefined {
  return value !== undefined && Number.isSafeInteger(value) && value >= 0 && value <= 2147483647 ? value : undefined;
}

function identifiers(manifest: KosManifest): Identifier[] {
  const study: Identifier = { system: DICOM_UID_SYSTEM, value: `${URN_OID}${manifest.studyUid}` };
  if (manifest.accessionNumber === undefined) return [study];
  const issuer = manifest.accessionNumberIssuer;
  const accession: Identifier = {
    type: { coding: [{ system: codeSystemByKey('v2-0203').uri, code: ACCESSION_TYPE }] },
    // An OID issuer (Universal Entity ID of type ISO) is the identifier's namespace; a local namespace name is not a URI.
    ...(issuer !== undefined && isDicomUid(issuer) ? { system: `${URN_OID}${issuer}` } : {}),
    value: manifest.accessionNumber,
  };
  return [study, accession];
}

function endpoint(dicomWebBase: string): Endpoint {
  return {
    resourceType: 'Endpoint',
    id: ENDPOINT.id,
    status: 'active',
    connectionType: { system: ENDPOINT.connectionTypeSystem, code: ENDPOINT.connectionType },
    payloadType: [{ text: ENDPOINT.payloadType }],
    payloadMimeType: [ENDPOINT.payloadMimeType],
    address: dicomWebBase,
  };
}

function instance(source: KosInstance): ImagingStudySeriesInstance {
  const number = unsignedInt(source.instanceNumber);
  return {
    uid: source.sopInstanceUid,
    sopClass: { system: URI_SYSTEM, code: `${URN_OID}${source.sopClassUid}` },
    ...(number === undefined ? {} : { number }),
  };
}

function series(source: KosSeries, fallback: string, endpointRef: Reference): ImagingStudySeries {
  const number = unsignedInt(source.seriesNumber);
  return {
    uid: source.seriesUid,
    ...(number === undefined ? {} : { number }),
    modality: dcm(source.modality ?? fallback),
    ...(source.description === undefined ? {} : { description: source.description }),
    numberOfInstances: source.instances.length,
    endpoint: [endpointRef],
    instance: source.instances.map(instance),
  };
}

/** Build the ImagingStudy of the manifest's study (status available: the manifest says its instances exist). */
export function toImagingStudy(manifest: KosManifest, ctx: ImagingStudyContext): ImagingStudy {
  const endpointRef: Reference = { reference: `#${ENDPOINT.id}` };
  const fallback = fallbackModality(ctx.eventModalities);
  const studySeries = manifest.series.filter((s) => s.studyUid === manifest.studyUid).map((s) => series(s, fallback, endpointRef));
  const modalities = [...new Set(studySeries.map((s) => s.modality.code as string))];
  const started = dicomToFhirDateTime(manifest.studyDate, manifest.studyTime, manifest.timezoneOffset);
  return {
    resourceType: 'ImagingStudy',
    id: ctx.id,
    contained: [endpoint(ctx.dicomWebBase)],
    identifier: identifiers(manifest),
    status: 'available',
    ...(modalities.length === 0 ? {} : { modality: modalities.map(dcm) }),
    subject: { type: 'Patient', identifier: { system: nhsNumberSystem().uri, value: ctx.nhsNumber } },
    ...(started === undefined ? {} : { started }),
    endpoint: [endpointRef],
    numberOfSeries: studySeries.length,
    numberOfInstances: studySeries.reduce((n, s) => n + (s.numberOfInstances ?? 0), 0),
    ...(manifest.studyDescription === undefined ? {} : { description: manifest.studyDescription }),
    ...(studySeries.length === 0 ? {} : { series: studySeries }),
  };
}
