import type { CapabilityStatement, CapabilityStatementRestResourceSearchParam } from 'fhir/r4';
import { findRule, searchParameters } from '../mappings/search-parameters';
import { imagingTable } from './imaging/imaging-table';

/** IHE MHD Document Responder capability statement this server instantiates (MHD 4.2). */
export const MHD_RESPONDER_CAPABILITIES = 'https://profiles.ihe.net/ITI/MHD/CapabilityStatement/IHE.MHD.DocumentResponder';
const MHD_MINIMAL = 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/IHE.MHD.Minimal.DocumentReference';

/** Search parameters derived from mappings/search-parameters.json: the statement lists exactly what works. */
export function supportedSearchParams(): CapabilityStatementRestResourceSearchParam[] {
  const table = searchParameters();
  const patient: CapabilityStatementRestResourceSearchParam[] = table.patient.parameters.map((name) => ({
    name,
    type: 'token',
    documentation: `The patient's NHS number, ${table.patient.system}|<NHS number> (required)`,
  }));
  const rules = table.parameters.flatMap((rule) =>
    [rule.name, ...(rule.aliases ?? [])].map((name) => ({
      name,
      type: rule.type,
      documentation: rule.documentation,
    })),
  );
  return [...patient, ...rules];
}

/** ImagingStudy search parameters: the patient and the imaging parameters mappings/imaging.json passes through. */
export function imagingSearchParams(): CapabilityStatementRestResourceSearchParam[] {
  const patient = supportedSearchParams().filter((p) => searchParameters().patient.parameters.includes(p.name));
  const imaging = imagingTable().searchParameters.flatMap((name) => {
    const rule = findRule(name);
    return rule === undefined ? [] : [{ name: rule.name, type: rule.type, documentation: rule.documentation }];
  });
  return [...patient, ...imaging];
}

/** GET /metadata: what this Document Responder really supports. */
export function capabilityStatement(baseUrl: string, version: string): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    instantiates: [MHD_RESPONDER_CAPABILITIES],
    software: { name: 'mhd-xca-facade', version },
    implementation: { description: 'IHE MHD Document Responder grouped with an XCA Initiating Gateway', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'application/fhir+xml'],
    rest: [
      {
        mode: 'server',
        documentation: 'ITI-67 Find Document References and ITI-68 Retrieve Document, answered from XCA communities (ITI-38/ITI-39).',
        resource: [
          {
            type: 'DocumentReference',
            supportedProfile: [MHD_MINIMAL],
            interaction: [{ code: 'search-type' }, { code: 'read' }],
            searchParam: supportedSearchParams(),
          },
          {
            type: 'Binary',
            documentation: 'ITI-68 Retrieve Document: the bytes as they are (Accept absent, */* or the document type) or a Binary resource (application/fhir+json)',
            interaction: [{ code: 'read' }],
          },
          {
            type: 'ImagingStudy',
            documentation:
              "The patient's current DICOM KOS manifests (IHE MADO), each read through ITI-39; the contained Endpoint is this server's DICOMweb (WADO-RS) door for the study, answered through RAD-75",
            interaction: [{ code: 'search-type' }, { code: 'read' }],
            searchParam: imagingSearchParams(),
          },
        ],
      },
    ],
  };
}
