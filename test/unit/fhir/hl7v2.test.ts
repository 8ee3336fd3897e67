import { dtmToDate, dtmToDateTime, dtmToInstant } from '../../../src/fhir/dtm';
import { parseCx, parseHd, parseXad, parseXcn, parseXon, parseXpn, unescapeHl7 } from '../../../src/fhir/hl7v2';
import { cxToIdentifier, hdToSystem, pidToPatient, xcnToPractitioner, xonToOrganization } from '../../../src/fhir/hl7v2-fhir';
import { loadDocumentEntryTable } from '../../../src/mappings/document-entry';

describe('HL7 v2 readers (ITI TF-3 Table 4.2.3.1.7-2)', () => {
  it('reads CX/CXi with assigning authority, type code and facility', () => {
    expect(parseCx('ACC1^^^&1.2.3&ISO^urn:ihe:iti:xds:2013:accession^&1.9&ISO')).toEqual({
      id: 'ACC1',
      assigningAuthority: { universalId: '1.2.3', universalIdType: 'ISO' },
      typeCode: 'urn:ihe:iti:xds:2013:accession',
      assigningFacility: { universalId: '1.9', universalIdType: 'ISO' },
    });
    expect(parseCx('')).toEqual({});
  });

  it('undoes HL7 escapes after splitting', () => {
    expect(unescapeHl7('a\\S\\b\\T\\c\\F\\d\\R\\e\\E\\f\\X\\')).toBe('a^b&c|d~e\\f\\X\\');
    expect(parseCx('D\\E\\ID1-1^^^&1.3.6&ISO').id).toBe('D\\ID1-1');
    expect(parseXon('Smith \\T\\ Sons^^^^^&1.2&ISO').name).toBe('Smith & Sons');
  });

  it('reads XCN (authorPerson): id, name parts, assigning authority in XCN.9', () => {
    expect(parseXcn('11375^Welby^Marcus^J^Jr.^Dr^^^&1.2.840.113619.6.197&ISO')).toEqual({
      id: '11375',
      family: 'Welby',
      given: ['Marcus', 'J'],
      suffix: 'Jr.',
      prefix: 'Dr',
      assigningAuthority: { universalId: '1.2.840.113619.6.197', universalIdType: 'ISO' },
    });
    expect(parseXcn('^Smitty^Gerald^^^')).toEqual({ family: 'Smitty', given: ['Gerald'] });
    expect(parseXcn('^van Dyke&van^Dick')).toMatchObject({ family: 'van Dyke' });
  });

  it('reads XON: name, XON.6 authority, XON.10 id (or legacy XON.3)', () => {
    expect(parseXon('Leeds^^^^^&2.16.840.1.113883.2.1.4.3&ISO^^^^RR8')).toEqual({ name: 'Leeds', assigningAuthority: { universalId: '2.16.840.1.113883.2.1.4.3', universalIdType: 'ISO' }, id: 'RR8' });
    expect(parseXon('Old style^^42')).toEqual({ name: 'Old style', id: '42' });
    expect(parseXon('Metriport^^^^^^^^^2.16.840.1.113883.3.9621')).toEqual({ name: 'Metriport', id: '2.16.840.1.113883.3.9621' });
  });

  it('reads XPN, XAD and HD', () => {
    expect(parseXpn('Doe^John^Q^III^Mr')).toEqual({ family: 'Doe', given: ['John', 'Q'], suffix: 'III', prefix: 'Mr' });
    expect(parseXad('100 Main St^Flat 2^Metropolis^Il^44130^USA')).toEqual({ lines: ['100 Main St', 'Flat 2'], city: 'Metropolis', state: 'Il', postalCode: '44130', country: 'USA' });
    expect(parseHd('NS&1.2.3&ISO')).toEqual({ namespaceId: 'NS', universalId: '1.2.3', universalIdType: 'ISO' });
    expect(parseHd('')).toBeUndefined();
  });
});

describe('HL7 v2 -> FHIR builders', () => {
  it('turns an HD into a system: known OIDs to FHIR URIs, others urn:oid:, URIs as given, names not at all', () => {
    expect(hdToSystem({ universalId: '2.16.840.1.113883.2.1.4.1', universalIdType: 'ISO' })).toBe('https://fhir.nhs.uk/Id/nhs-number');
    expect(hdToSystem({ universalId: '1.2.3' })).toBe('urn:oid:1.2.3');
    expect(hdToSystem({ universalId: 'https://acc.example/ids', universalIdType: 'URI' })).toBe('https://acc.example/ids');
    expect(hdToSystem({ namespaceId: 'LOCAL' })).toBeUndefined();
    expect(hdToSystem({ universalId: 'not-an-oid', universalIdType: 'ISO' })).toBeUndefined();
  });

  it('builds Identifier, Practitioner and Organization', () => {
    expect(cxToIdentifier(parseCx('123^^^&1.2.3&ISO'))).toEqual({ system: 'urn:oid:1.2.3', value: '123' });
    expect(cxToIdentifier(parseCx('^^^&1.2.3&ISO'))).toBeUndefined();
    expect(xcnToPractitioner('^^^^^')).toBeUndefined();
    expect(xcnToPractitioner('G123^^^^^^^^&1.2.3&ISO')).toEqual({ resourceType: 'Practitioner', identifier: [{ system: 'urn:oid:1.2.3', value: 'G123' }] });
    expect(xonToOrganization('Metriport^^^^^^^^^2.16.840.1.113883.3.9621', { system: 'urn:ietf:rfc:3986', valuePrefix: 'urn:oid:' })).toEqual({
      resourceType: 'Organization',
      identifier: [{ system: 'urn:ietf:rfc:3986', value: 'urn:oid:2.16.840.1.113883.3.9621' }],
      name: 'Metriport',
    });
    expect(xonToOrganization('Ward 7', {})).toEqual({ resourceType: 'Organization', name: 'Ward 7' });
  });

  it('builds the sourcePatientInfo Patient from PID fields (NIST sample shape)', () => {
    const table = loadDocumentEntryTable();
    const genders = table.valueMaps[table.sourcePatientInfo.genderMap]?.map ?? {};
    const patient = pidToPatient(
      ['PID-3|pid1^^^&1.2.3&ISO~pid2^^^&1.2.4&ISO', 'PID-5|Doe^John^^^', 'PID-7|19560527', 'PID-8|M', 'PID-11|100 Main St^^Metropolis^Il^44130^USA', 'nonsense'],
      table.sourcePatientInfo,
      genders,
    );
    expect(patient).toEqual({
      resourceType: 'Patient',
      identifier: [{ system: 'urn:oid:1.2.3', value: 'pid1' }, { system: 'urn:oid:1.2.4', value: 'pid2' }],
      name: [{ family: 'Doe', given: ['John'] }],
      gender: 'male',
      birthDate: '1956-05-27',
      address: [{ line: ['100 Main St'], city: 'Metropolis', state: 'Il', postalCode: '44130', country: 'USA' }],
    });
    expect(pidToPatient(['PID-8|X'], table.sourcePatientInfo, genders)).toBeUndefined();
  });
});

describe('DTM -> FHIR time (XDS DTM is UTC)', () => {
  it.each([
    ['2024', '2024'],
    ['202401', '2024-01'],
    ['20240115', '2024-01-15'],
    ['2024011510', '2024-01-15T10:00:00Z'],
    ['202401151030', '2024-01-15T10:30:00Z'],
    ['20240115103045', '2024-01-15T10:30:45Z'],
    ['20240115103045.25', '2024-01-15T10:30:45.25Z'],
    ['20240115103045+0100', '2024-01-15T09:30:45Z'],
    ['2024-03-27T21:43:04.878Z', '2024-03-27T21:43:04.878Z'],
    ['2024-03-27T21:43:04+02:00', '2024-03-27T19:43:04Z'],
  ])('dateTime of %s is %s', (dtm, fhir) => {
    expect(dtmToDateTime(dtm)).toBe(fhir);
  });

  it.each(['', '2024011', '20241301', '20240230', '2024011525', '202401151060', 'yesterday', '20240115+0100'])('refuses %p', (dtm) => {
    expect(dtmToDateTime(dtm)).toBeUndefined();
  });

  it('gives an instant only with a time of day, and a date from any precision', () => {
    expect(dtmToInstant('20240115')).toBeUndefined();
    expect(dtmToInstant('202401151030')).toBe('2024-01-15T10:30:00Z');
    expect(dtmToDate('19560527')).toBe('1956-05-27');
    expect(dtmToDate('19560527083000')).toBe('1956-05-27');
    expect(dtmToDate('1956')).toBe('1956');
  });
});
