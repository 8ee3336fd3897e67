import { MappingTableError } from '../../../src/mappings/load';
import {
  codeSystemByKey,
  isOid,
  loadCodeSystemsTable,
  nhsNumberSystem,
  odsOrganizationSystem,
  oidToUri,
  oidToUrn,
  uriToOid,
  type CodeSystemsTable,
} from '../../../src/mappings/code-systems';
import { brokenCopy } from './broken-copy';

describe('mappings/code-systems.json', () => {
  it('loads, and every entry names its source', () => {
    const table = loadCodeSystemsTable();
    expect(table.systems.length).toBeGreaterThanOrEqual(10);
    for (const entry of table.systems) expect(entry.source.length).toBeGreaterThan(10);
  });

  it('refuses a copy whose OID is malformed, naming the file and the JSON path', () => {
    const { dir, file } = brokenCopy<CodeSystemsTable>('code-systems', (t) => {
      t.systems[0]!.oid = 'not-an-oid';
    });
    expect(() => loadCodeSystemsTable(dir)).toThrow(MappingTableError);
    expect(() => loadCodeSystemsTable(dir)).toThrow(new RegExp(`${file}.*/systems/0/oid`));
  });

  it('refuses a copy with a duplicate OID, naming both entries', () => {
    const { dir, file } = brokenCopy<CodeSystemsTable>('code-systems', (t) => {
      t.systems[1]!.oid = t.systems[0]!.oid;
    });
    expect(() => loadCodeSystemsTable(dir)).toThrow(`mapping table ${file} is invalid: /systems/1/oid duplicates /systems/0/oid`);
  });
});

describe('oidToUri', () => {
  it.each([
    ['2.16.840.1.113883.6.96', 'http://snomed.info/sct'],
    ['urn:oid:2.16.840.1.113883.6.1', 'http://loinc.org'],
    ['1.2.840.10008.2.16.4', 'http://dicom.nema.org/resources/ontology/DCM'],
    ['1.2.840.10008.2.6.1', 'http://dicom.nema.org/resources/ontology/DCMUID'],
    ['2.16.840.1.113883.5.25', 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality'],
    ['1.3.6.1.4.1.19376.1.2.3', 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode'],
    ['2.16.840.1.113883.2.1.4.1', 'https://fhir.nhs.uk/Id/nhs-number'],
    ['2.16.840.1.113883.2.1.4.3', 'https://fhir.nhs.uk/Id/ods-organization-code'],
  ])('maps the known OID %s to %s', (oid, uri) => {
    expect(oidToUri(oid)).toBe(uri);
  });

  it('writes an unknown OID as urn:oid:, with or without the prefix on input', () => {
    expect(oidToUri('1.2.3.4.5')).toBe('urn:oid:1.2.3.4.5');
    expect(oidToUri('urn:oid:1.2.3.4.5')).toBe('urn:oid:1.2.3.4.5');
    expect(oidToUri(' 1.2.3 ')).toBe('urn:oid:1.2.3');
  });

  it('passes through a value that is already a URI, and anything else unchanged', () => {
    expect(oidToUri('http://example.org/codes')).toBe('http://example.org/codes');
    expect(oidToUri('urn:uuid:0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0')).toBe('urn:uuid:0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0');
    expect(oidToUri('LOINC')).toBe('LOINC');
  });
});

describe('uriToOid and oidToUrn', () => {
  it('reads urn:oid: and known URIs back to OIDs, and nothing else', () => {
    expect(uriToOid('urn:oid:1.2.3.4')).toBe('1.2.3.4');
    expect(uriToOid('http://snomed.info/sct')).toBe('2.16.840.1.113883.6.96');
    expect(uriToOid('https://fhir.nhs.uk/Id/nhs-number')).toBe('2.16.840.1.113883.2.1.4.1');
    expect(uriToOid('http://example.org/unknown')).toBeUndefined();
    expect(uriToOid('urn:oid:not.an.oid')).toBeUndefined();
    expect(uriToOid('1.2.3')).toBeUndefined();
  });

  it('round-trips every table entry', () => {
    for (const entry of loadCodeSystemsTable().systems) {
      expect(uriToOid(oidToUri(entry.oid))).toBe(entry.oid);
    }
  });

  it('writes bare OIDs as urn:oid:, keeps URIs, refuses the rest', () => {
    expect(oidToUrn('1.2.3')).toBe('urn:oid:1.2.3');
    expect(oidToUrn('urn:oid:1.2.3')).toBe('urn:oid:1.2.3');
    expect(oidToUrn('not an oid')).toBeUndefined();
    expect(isOid('1.02.3')).toBe(false);
  });
});

describe('named accessors', () => {
  it('give the NHS number and ODS systems from the table', () => {
    expect(nhsNumberSystem()).toMatchObject({ oid: '2.16.840.1.113883.2.1.4.1', uri: 'https://fhir.nhs.uk/Id/nhs-number', kind: 'identifier-system' });
    expect(odsOrganizationSystem()).toMatchObject({ oid: '2.16.840.1.113883.2.1.4.3', uri: 'https://fhir.nhs.uk/Id/ods-organization-code' });
  });

  it('throw a MappingTableError for a key the table lacks', () => {
    expect(() => codeSystemByKey('no-such-system')).toThrow(MappingTableError);
  });
});
