import type { DicomJsonDataset } from '../../../src/imaging/dicom-json';
import { applyQidoQuery, QidoQueryError, readQidoQuery } from '../../../src/imaging/qido';

/** QIDO-RS matching (PS3.4 C.2.2.2 as PS3.18 8.3.4 uses it) over DICOM JSON data sets. */
const ds = (uid: string, date: string, modalities: string[], accession: string): DicomJsonDataset => ({
  '00080020': { vr: 'DA', Value: [date] },
  '00080050': { vr: 'SH', Value: [accession] },
  '00080061': { vr: 'CS', Value: modalities },
  '0020000D': { vr: 'UI', Value: [uid] },
});
const studies = [ds('1.1', '20260101', ['CT'], 'ACC-1'), ds('1.2', '20260315', ['MR', 'SR'], 'ACC-2'), ds('1.3', '20261124', ['CT', 'PT'], 'XYZ-3')];
const uids = (found: DicomJsonDataset[]): unknown[] => found.map((d) => d['0020000D']?.Value?.[0]);
const search = (params: Array<[string, string]>): unknown[] => uids(applyQidoQuery(studies, readQidoQuery('study', params)));

describe('QIDO-RS matching', () => {
  it('matches a list of UIDs, by keyword or by tag', () => {
    expect(search([['StudyInstanceUID', '1.1,1.3']])).toEqual(['1.1', '1.3']);
    expect(search([['0020000D', '1.2\\1.9']])).toEqual(['1.2']);
    expect(search([['0020000d', '1.2']])).toEqual(['1.2']);
  });

  it('matches date ranges, open at either end, and single dates', () => {
    expect(search([['StudyDate', '20260201-20261231']])).toEqual(['1.2', '1.3']);
    expect(search([['StudyDate', '-20260315']])).toEqual(['1.1', '1.2']);
    expect(search([['StudyDate', '20260315-']])).toEqual(['1.2', '1.3']);
    expect(search([['StudyDate', '20260101']])).toEqual(['1.1']);
  });

  it('matches wildcards on text, any value of a multi-valued attribute, and every key together', () => {
    expect(search([['AccessionNumber', 'ACC-*']])).toEqual(['1.1', '1.2']);
    expect(search([['AccessionNumber', '???-3']])).toEqual(['1.3']);
    expect(search([['AccessionNumber', 'ACC.1']])).toEqual([]); // '.' is not a wildcard
    expect(search([['ModalitiesInStudy', 'SR']])).toEqual(['1.2']);
    expect(search([['ModalitiesInStudy', 'CT'], ['StudyDate', '20260601-']])).toEqual(['1.3']);
    expect(search([['AccessionNumber', '']])).toEqual(['1.1', '1.2', '1.3']); // universal matching
  });

  it('pages with offset and limit, and accepts includefield and fuzzymatching', () => {
    expect(search([['offset', '1'], ['limit', '1'], ['includefield', 'all'], ['fuzzymatching', 'false']])).toEqual(['1.2']);
    expect(search([['offset', '5']])).toEqual([]);
  });

  it('refuses keys the level does not support, and counts that are not whole numbers', () => {
    expect(() => readQidoQuery('study', [['PatientName', 'DOE*']])).toThrow(QidoQueryError);
    expect(() => readQidoQuery('study', [['SOPInstanceUID', '1.2']])).toThrow(/not a matching key this server supports for a study search/);
    expect(() => readQidoQuery('instance', [['limit', '-1']])).toThrow(/limit must be a whole number/);
    expect(readQidoQuery('instance', [['SOPInstanceUID', '1.2']]).matchers).toHaveLength(1);
  });
});
