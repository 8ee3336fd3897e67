import { FacadeError } from '../../../../src/errors/facade-error';
import { imagingTable } from '../../../../src/interactions/imaging/imaging-table';
import { toImagingSearchParams } from '../../../../src/interactions/imaging/search-params';
import { parseIti67Search } from '../../../../src/search/iti67-search';

const PATIENT: [string, string] = ['patient.identifier', 'https://fhir.nhs.uk/Id/nhs-number|9000000009'];

describe('toImagingSearchParams', () => {
  it('passes the patient and imaging parameters, adds the KOS format and status current', () => {
    const { asked, upstream } = toImagingSearchParams([PATIENT, ['modality', 'CT'], ['_format', 'json']], imagingTable(), { lenient: false });
    expect(asked).toEqual([PATIENT, ['modality', 'CT'], ['_format', 'json']]);
    expect(upstream).toEqual([...asked, ['format', 'http://dicom.nema.org/resources/ontology/DCMUID|1.2.840.10008.5.1.4.1.1.88.59'], ['status', 'current']]);
    const search = parseIti67Search(upstream, { lenient: false });
    expect(search.slots.map((s) => s.name)).toEqual(expect.arrayContaining(['$XDSDocumentEntryFormatCode', '$XDSDocumentEntryStatus', '$XDSDocumentEntryEventCodeList']));
  });

  it('accepts every patient spelling of DocumentReference search', () => {
    for (const name of ['patient:identifier', 'subject:identifier', 'subject.identifier']) {
      expect(toImagingSearchParams([[name, PATIENT[1]]], imagingTable(), { lenient: false }).asked).toHaveLength(1);
    }
  });

  it.each(['status', 'format', 'category', 'date', '_cursor', 'identifier'])('refuses %s (400) unless lenient', (name) => {
    expect(() => toImagingSearchParams([PATIENT, [name, 'x']], imagingTable(), { lenient: false })).toThrow(FacadeError);
    expect(toImagingSearchParams([PATIENT, [name, 'x']], imagingTable(), { lenient: true }).asked).toEqual([PATIENT]);
  });
});
