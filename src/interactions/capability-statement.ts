import type { CapabilityStatement, CapabilityStatementRestResourceSearchParam } from 'fhir/r4';
import { searchParameters } from '../mappings/search-parameters';

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
    format: ['application/fhir+json'],
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
        ],
        interaction: [],
      },
    ],
  };
}
