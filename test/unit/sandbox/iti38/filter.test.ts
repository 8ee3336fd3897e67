import { like, matchesFindQuery } from '../../../../src/sandbox/iti38/filter';
import { readQueryParameters } from '../../../../src/sandbox/iti38/params';
import type { FindDocumentsQuery } from '../../../../src/sandbox/iti38/query-types';
import { xdsRegistryProtocol } from '../../../../src/sandbox/protocol';
import type { SandboxDocument } from '../../../../src/sandbox/seed-types';

const protocol = xdsRegistryProtocol();
const SNOMED = '2.16.840.1.113883.6.96';
const DCM = '1.2.840.10008.2.16.4';

const base: SandboxDocument = {
  entryUUID: 'urn:uuid:00000000-0000-4000-8000-000000000001',
  uniqueId: '2.999.9.1',
  availabilityStatus: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved',
  mimeType: 'application/pdf',
  title: 'CT chest report',
  creationTime: '20240115103000',
  languageCode: 'en-GB',
  size: 1,
  hash: '0000000000000000000000000000000000000000',
  serviceStartTime: '20240115091500',
  serviceStopTime: '20240115094500',
  sourcePatientId: 'X^^^&2.999.9&ISO',
  authors: [{ person: 'C1^Okafor^Adaeze^^^Dr' }, { person: 'R1^Shah^Priya' }],
  classCode: { code: '4201000179104', scheme: SNOMED, display: 'Imaging report' },
  typeCode: { code: '24627-2', scheme: '2.16.840.1.113883.6.1', display: 'CT Chest' },
  practiceSettingCode: { code: '394914008', scheme: SNOMED, display: 'Radiology' },
  healthcareFacilityTypeCode: { code: '22232009', scheme: SNOMED, display: 'Hospital' },
  formatCode: { code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient', scheme: '1.3.6.1.4.1.19376.1.2.3', display: 'x' },
  confidentialityCode: [{ code: 'N', scheme: '2.16.840.1.113883.5.25', display: 'normal' }],
  eventCodeList: [
    { code: 'CT', scheme: DCM, display: 'CT' },
    { code: 'PT', scheme: DCM, display: 'PET' },
  ],
  referenceIdList: ['2.999.5.1^^^^urn:ihe:iti:xds:2016:studyInstanceUID', 'ACC1^^^&2.999.4&ISO^urn:ihe:iti:xds:2013:accession'],
  content: 'x.pdf',
};

type Slot = [string, string[]];
const APPROVED: Slot = ['$XDSDocumentEntryStatus', ["('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')"]];

function query(...slots: Slot[]): FindDocumentsQuery {
  const all = [['$XDSDocumentEntryPatientId', ["'9000000009^^^&2.16.840.1.113883.2.1.4.1&ISO'"]] as Slot, ...(slots.some((s) => s[0] === APPROVED[0]) ? [] : [APPROVED]), ...slots];
  const name = all.some((s) => s[0] === '$XDSDocumentEntryReferenceIdList') ? 'FindDocumentsByReferenceId' : 'FindDocuments';
  const q = readQueryParameters(name, protocol.storedQueries[name]!, all.map(([n, values]) => ({ name: n, values })), protocol);
  if (q.kind !== 'find') throw new Error('expected a find query');
  return q;
}

const matches = (slots: Slot[], doc: SandboxDocument = base): boolean => matchesFindQuery(doc, query(...slots), protocol);

describe('FindDocuments matching', () => {
  it('matches by availability status', () => {
    expect(matches([])).toBe(true);
    expect(matches([['$XDSDocumentEntryStatus', ["('urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated')"]]])).toBe(false);
    const both: Slot = ['$XDSDocumentEntryStatus', ["('urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated','urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')"]];
    expect(matches([both])).toBe(true);
  });

  it.each([
    ['$XDSDocumentEntryClassCode', `4201000179104^^${SNOMED}`, `721981007^^${SNOMED}`],
    ['$XDSDocumentEntryTypeCode', '24627-2^^2.16.840.1.113883.6.1', '24590-2^^2.16.840.1.113883.6.1'],
    ['$XDSDocumentEntryPracticeSettingCode', `394914008^^${SNOMED}`, '394914008^^2.999.other'],
    ['$XDSDocumentEntryHealthcareFacilityTypeCode', `22232009^^${SNOMED}`, `79993009^^${SNOMED}`],
    ['$XDSDocumentEntryFormatCode', 'urn:ihe:iti:xds:2017:mimeTypeSufficient^^1.3.6.1.4.1.19376.1.2.3', '1.2.840.10008.5.1.4.1.1.88.59^^1.2.840.10008.2.6.1'],
    ['$XDSDocumentEntryConfidentialityCode', 'N^^2.16.840.1.113883.5.25', 'R^^2.16.840.1.113883.5.25'],
    ['$XDSDocumentEntryEventCodeList', `CT^^${DCM}`, `MR^^${DCM}`],
  ])('%s: matches code and scheme, ORs a list', (slot, hit, miss) => {
    expect(matches([[slot, [`('${hit}')`]]])).toBe(true);
    expect(matches([[slot, [`('${miss}')`]]])).toBe(false);
    expect(matches([[slot, [`('${miss}','${hit}')`]]])).toBe(true);
    expect(matches([[slot, [`('${miss}')`, `('${hit}')`]]])).toBe(true);
  });

  it('ANDs several eventCodeList slots', () => {
    const ev = (c: string): Slot => ['$XDSDocumentEntryEventCodeList', [`('${c}^^${DCM}')`]];
    expect(matches([ev('CT'), ev('PT')])).toBe(true);
    expect(matches([ev('CT'), ev('MR')])).toBe(false);
  });

  it('ANDs different parameters', () => {
    expect(matches([['$XDSDocumentEntryClassCode', [`('4201000179104^^${SNOMED}')`]], ['$XDSDocumentEntryEventCodeList', [`('MR^^${DCM}')`]]])).toBe(false);
  });

  it('creationTime From is inclusive, To exclusive, with precision handled', () => {
    expect(matches([['$XDSDocumentEntryCreationTimeFrom', ['20240115103000']]])).toBe(true);
    expect(matches([['$XDSDocumentEntryCreationTimeFrom', ['20240115103001']]])).toBe(false);
    expect(matches([['$XDSDocumentEntryCreationTimeTo', ['20240115103000']]])).toBe(false);
    expect(matches([['$XDSDocumentEntryCreationTimeTo', ['20240115103001']]])).toBe(true);
    expect(matches([['$XDSDocumentEntryCreationTimeFrom', ['2024']], ['$XDSDocumentEntryCreationTimeTo', ['2025']]])).toBe(true);
    expect(matches([['$XDSDocumentEntryCreationTimeTo', ['2024']]])).toBe(false);
    expect(matches([['$XDSDocumentEntryCreationTimeFrom', ['20240116']]])).toBe(false);
    expect(matches([['$XDSDocumentEntryCreationTimeFrom', ['20240115']]], { ...base, creationTime: '2024' })).toBe(true);
  });

  it('serviceStartTime and serviceStopTime ranges; missing values never match', () => {
    expect(matches([['$XDSDocumentEntryServiceStartTimeFrom', ['202401150915']], ['$XDSDocumentEntryServiceStartTimeTo', ['202401150916']]])).toBe(true);
    expect(matches([['$XDSDocumentEntryServiceStartTimeFrom', ['202401150916']]])).toBe(false);
    expect(matches([['$XDSDocumentEntryServiceStopTimeTo', ['2024011509']]])).toBe(false);
    expect(matches([['$XDSDocumentEntryServiceStopTimeFrom', ['2024011509']]])).toBe(true);
    const { serviceStopTime: _unused, ...noStop } = base;
    expect(matches([['$XDSDocumentEntryServiceStopTimeFrom', ['2000']]], noStop)).toBe(false);
  });

  it('authorPerson uses LIKE with % and _, ORed over patterns and authors', () => {
    expect(matches([['$XDSDocumentEntryAuthorPerson', ["('%Okafor%')"]]])).toBe(true);
    expect(matches([['$XDSDocumentEntryAuthorPerson', ["('%^Shah^Pri_a')"]]])).toBe(true);
    expect(matches([['$XDSDocumentEntryAuthorPerson', ["('%okafor%')"]]])).toBe(false);
    expect(matches([['$XDSDocumentEntryAuthorPerson', ["('Okafor')"]]])).toBe(false);
    expect(matches([['$XDSDocumentEntryAuthorPerson', ["('%Nobody%','%Shah%')"]]])).toBe(true);
  });

  it('LIKE treats regular-expression characters literally', () => {
    expect(like('a.c%', 'a.cde')).toBe(true);
    expect(like('a.c%', 'abcde')).toBe(false);
    expect(like('(x)+_', '(x)+y')).toBe(true);
    expect(like('%', '')).toBe(true);
    expect(like('_', '')).toBe(false);
  });

  it('DocumentEntry type defaults to stable', () => {
    expect(matches([], { ...base, objectType: protocol.documentEntry.objectTypes.onDemand })).toBe(false);
    expect(matches([['$XDSDocumentEntryType', [`('${protocol.documentEntry.objectTypes.onDemand}')`]]], { ...base, objectType: protocol.documentEntry.objectTypes.onDemand })).toBe(true);
  });

  it('FindDocumentsByReferenceId: OR within a slot, AND across slots, exact CXi match', () => {
    const ref = (...v: string[]): Slot => ['$XDSDocumentEntryReferenceIdList', [`(${v.map((x) => `'${x}'`).join(',')})`]];
    const study = '2.999.5.1^^^^urn:ihe:iti:xds:2016:studyInstanceUID';
    expect(matches([ref(study)])).toBe(true);
    expect(matches([ref('2.999.5.1')])).toBe(false);
    expect(matches([ref('nope', study)])).toBe(true);
    expect(matches([ref(study), ref('ACC1^^^&2.999.4&ISO^urn:ihe:iti:xds:2013:accession')])).toBe(true);
    expect(matches([ref(study), ref('ACC2^^^&2.999.4&ISO^urn:ihe:iti:xds:2013:accession')])).toBe(false);
  });
});
