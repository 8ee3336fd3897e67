import { FacadeError } from '../../../src/errors/facade-error';
import { parseIti67Search, type SearchParamList } from '../../../src/search/iti67-search';

const NHS = 'https://fhir.nhs.uk/Id/nhs-number';
const patient: [string, string] = ['patient.identifier', `${NHS}|9000000009`];

function slots(params: SearchParamList, lenient = false): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of parseIti67Search(params, { lenient }).slots) (out[s.name] ??= []).push(...s.values);
  return out;
}

function errorOf(fn: () => unknown): FacadeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof FacadeError) return err;
    throw err;
  }
  throw new Error('expected a FacadeError');
}

describe('ITI-67 parameters -> FindDocuments slots (mappings/search-parameters.json)', () => {
  it.each(['patient.identifier', 'patient:identifier', 'subject:identifier'])('accepts the patient as %s', (name) => {
    const search = parseIti67Search([[name, `${NHS}|9000000009`]], { lenient: false });
    expect(search.nhsNumber).toBe('9000000009');
    expect(search.storedQuery).toBe('FindDocuments');
  });

  it('defaults status to current (Approved)', () => {
    expect(slots([patient])).toEqual({ $XDSDocumentEntryStatus: ["('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')"] });
  });

  it('maps status lists', () => {
    expect(slots([patient, ['status', 'current,superseded']]).$XDSDocumentEntryStatus).toEqual([
      "('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved','urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated')",
    ]);
    expect(errorOf(() => parseIti67Search([patient, ['status', 'entered-in-error']], { lenient: false })).code).toBe('INVALID_PARAMETER');
  });

  it('maps date and creation to creationTime From/To, period to the service time overlap', () => {
    const s = slots([patient, ['date', 'ge2024-01-01'], ['creation', 'lt2024-07']]);
    expect(s.$XDSDocumentEntryCreationTimeFrom).toEqual(['20240101000000']);
    expect(s.$XDSDocumentEntryCreationTimeTo).toEqual(['20240701000000']);
    const p = slots([patient, ['period', 'eq2024-03']]);
    expect(p.$XDSDocumentEntryServiceStopTimeFrom).toEqual(['20240301000000']);
    expect(p.$XDSDocumentEntryServiceStartTimeTo).toEqual(['20240401000000']);
  });

  it('translates token systems to OIDs through the code-system table; commas OR', () => {
    const s = slots([
      patient,
      ['category', 'http://snomed.info/sct|721981007,http://snomed.info/sct|4201000179104'],
      ['type', 'urn:oid:1.2.3|X'],
    ]);
    expect(s.$XDSDocumentEntryClassCode).toEqual(["('721981007^^2.16.840.1.113883.6.96','4201000179104^^2.16.840.1.113883.6.96')"]);
    expect(s.$XDSDocumentEntryTypeCode).toEqual(["('X^^1.2.3')"]);
  });

  it('repeats a parameter as AND only where the XDS attribute is multi-valued (event, security-label, related)', () => {
    const s = slots([patient, ['event', 'urn:oid:1.2.840.10008.2.16.4|CT'], ['event', 'urn:oid:1.2.840.10008.2.16.4|MR']]);
    expect(s.$XDSDocumentEntryEventCodeList).toEqual(["('CT^^1.2.840.10008.2.16.4')", "('MR^^1.2.840.10008.2.16.4')"]);
    for (const single of ['type', 'category', 'status', 'format']) {
      const err = errorOf(() => parseIti67Search([patient, [single, 'urn:oid:1.2.3|X'], [single, 'urn:oid:1.2.3|Y']], { lenient: false }));
      expect(err.code).toBe('INVALID_PARAMETER');
      expect(err.expression).toEqual([single]);
    }
  });

  it.each([
    ['setting', '$XDSDocumentEntryPracticeSettingCode'],
    ['facility', '$XDSDocumentEntryHealthcareFacilityTypeCode'],
    ['event', '$XDSDocumentEntryEventCodeList'],
    ['security-label', '$XDSDocumentEntryConfidentialityCode'],
    ['format', '$XDSDocumentEntryFormatCode'],
  ])('maps %s to %s', (param, slot) => {
    expect(slots([patient, [param, 'urn:oid:1.2.840.10008.2.16.4|CT']])[slot]).toEqual(["('CT^^1.2.840.10008.2.16.4')"]);
  });

  it('refuses tokens without a system, unknown systems and HL7 delimiters', () => {
    expect(errorOf(() => parseIti67Search([patient, ['type', '18748-4']], { lenient: false })).code).toBe('INVALID_PARAMETER');
    const unknown = errorOf(() => parseIti67Search([patient, ['type', 'http://example.org/codes|X']], { lenient: false }));
    expect(unknown.code).toBe('INVALID_CODE_SYSTEM');
    expect(unknown.expression).toEqual(['type']);
    expect(errorOf(() => parseIti67Search([patient, ['type', 'http://loinc.org|a^b']], { lenient: false })).code).toBe('INVALID_PARAMETER');
  });

  it('maps author names to LIKE patterns on authorPerson, one slot even when both are given', () => {
    expect(slots([patient, ['author.family', 'Smith,Jones']]).$XDSDocumentEntryAuthorPerson).toEqual(["('%^Smith%','%^Jones%')"]);
    expect(slots([patient, ['author.given', 'Jo']]).$XDSDocumentEntryAuthorPerson).toEqual(["('%^%^Jo%')"]);
    expect(slots([patient, ['author.family', 'Smith'], ['author.given', 'Jo']]).$XDSDocumentEntryAuthorPerson).toEqual(["('%^Smith%^Jo%')"]);
    expect(errorOf(() => parseIti67Search([patient, ['author.family', 'Smith,Jones'], ['author.given', 'Jo']], { lenient: false })).code).toBe('INVALID_PARAMETER');
    expect(errorOf(() => parseIti67Search([patient, ['author.family', '50%']], { lenient: false })).code).toBe('INVALID_PARAMETER');
  });

  it('escapes single quotes in values', () => {
    expect(slots([patient, ['author.family', "O'Brien"]]).$XDSDocumentEntryAuthorPerson).toEqual(["('%^O''Brien%')"]);
  });

  it('uses FindDocumentsByReferenceId for related (accession and study UID)', () => {
    const search = parseIti67Search([patient, ['related', 'urn:oid:2.999.1.2.9|ACC0001,urn:dicom:uid|urn:oid:1.2.3.4']], { lenient: false });
    expect(search.storedQuery).toBe('FindDocumentsByReferenceId');
    expect(search.slots.find((s) => s.name === '$XDSDocumentEntryReferenceIdList')?.values).toEqual([
      "('ACC0001^^^&2.999.1.2.9&ISO^urn:ihe:iti:xds:2013:accession','1.2.3.4^^^^urn:ihe:iti:xds:2016:studyInstanceUID')",
    ]);
  });

  it('refuses unknown parameters unless handling is lenient', () => {
    const err = errorOf(() => parseIti67Search([patient, ['_count', '10'], ['foo', 'bar']], { lenient: false }));
    expect(err.code).toBe('INVALID_PARAMETER');
    expect(err.expression).toEqual(['foo']);
    expect(slots([patient, ['foo', 'bar'], ['category:text', 'x']], true)).toEqual(slots([patient]));
  });

  describe('the patient', () => {
    it.each([
      ['no patient', [['status', 'current']], 'INVALID_PARAMETER'],
      ['a wrong system', [['patient.identifier', 'urn:oid:1.2.3|9000000009']], 'INVALID_PARAMETER'],
      ['no system', [['patient.identifier', '9000000009']], 'INVALID_PARAMETER'],
      ['two patients', [patient, ['subject:identifier', `${NHS}|9000000017`]], 'INVALID_PARAMETER'],
      ['an OR list', [['patient.identifier', `${NHS}|9000000009,${NHS}|9000000017`]], 'INVALID_PARAMETER'],
      ['a bad check digit', [['patient:identifier', `${NHS}|9000000008`]], 'INVALID_NHS_NUMBER'],
      ['all zeros', [['patient.identifier', `${NHS}|0000000000`]], 'INVALID_NHS_NUMBER'],
    ] as Array<[string, SearchParamList, string]>)('refuses %s', (_why, params, code) => {
      expect(errorOf(() => parseIti67Search(params, { lenient: true })).code).toBe(code);
    });

    it('names the parameter in the expression of an invalid NHS number', () => {
      const err = errorOf(() => parseIti67Search([['patient:identifier', `${NHS}|1234567890`]], { lenient: false }));
      expect(err.expression).toEqual(['patient:identifier']);
    });
  });
});

describe('imaging search parameters (MADO)', () => {
  const NHS_PATIENT: [string, string] = ['patient.identifier', 'https://fhir.nhs.uk/Id/nhs-number|9000000009'];
  const slotsOf = (params: Array<[string, string]>) => parseIti67Search([NHS_PATIENT, ...params], { lenient: false });

  it('study-instance-uid goes to referenceIdList through FindDocumentsByReferenceId, with or without urn:oid:', () => {
    for (const value of ['1.2.3.4', 'urn:oid:1.2.3.4', 'urn:dicom:uid|urn:oid:1.2.3.4']) {
      const search = slotsOf([['study-instance-uid', value]]);
      expect(search.storedQuery).toBe('FindDocumentsByReferenceId');
      expect(search.slots.find((s) => s.name === '$XDSDocumentEntryReferenceIdList')?.values).toEqual(["('1.2.3.4^^^^urn:ihe:iti:xds:2016:studyInstanceUID')"]);
    }
  });

  it('accession-number needs its issuer', () => {
    const search = slotsOf([['accession-number', 'urn:oid:2.999.1|ACC9']]);
    expect(search.slots.find((s) => s.name === '$XDSDocumentEntryReferenceIdList')?.values).toEqual(["('ACC9^^^&2.999.1&ISO^urn:ihe:iti:xds:2013:accession')"]);
    expect(() => slotsOf([['accession-number', 'ACC9']])).toThrow(FacadeError);
  });

  it('modality is an event code in DCM, a bare code included', () => {
    const search = slotsOf([['modality', 'CT,http://dicom.nema.org/resources/ontology/DCM|MR']]);
    expect(search.slots.find((s) => s.name === '$XDSDocumentEntryEventCodeList')?.values).toEqual(["('CT^^1.2.840.10008.2.16.4','MR^^1.2.840.10008.2.16.4')"]);
  });
});
