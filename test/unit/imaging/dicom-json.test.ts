import { toDicomJsonMetadata } from '../../../src/imaging/dicom-json';
import { parseKosManifest, type KosManifest } from '../../../src/imaging/kos';
import { seedImages, seedKosBytes } from './dicom-fixtures';

const BASE = 'https://facade.example/dicomweb/kos-b-1';
const STUDY = '2.999.1.2.5.1';

describe('toDicomJsonMetadata (PS3.18 F.2 DICOM JSON from the manifest)', () => {
  const manifest = parseKosManifest(seedKosBytes());

  it('gives one data set per instance of the study, with the manifest attributes in tag order', () => {
    const metadata = toDicomJsonMetadata(manifest, { studyUid: STUDY, retrieveBaseUrl: `${BASE}/` });
    expect(metadata).toHaveLength(seedImages().length);
    expect(metadata[0]).toEqual({
      '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.2'] },
      '00080018': { vr: 'UI', Value: ['2.999.1.2.5.1.1.1'] },
      '00080050': { vr: 'SH', Value: ['ACC1001'] },
      '00080060': { vr: 'CS', Value: ['CT'] },
      '00081190': { vr: 'UR', Value: [`${BASE}/studies/${STUDY}/series/2.999.1.2.5.1.1/instances/2.999.1.2.5.1.1.1`] },
      '00100020': { vr: 'LO', Value: ['9000000009'] },
      '0020000D': { vr: 'UI', Value: [STUDY] },
      '0020000E': { vr: 'UI', Value: ['2.999.1.2.5.1.1'] },
      '00200013': { vr: 'IS', Value: [1] },
    });
    for (const dataset of metadata) {
      const keys = Object.keys(dataset);
      expect(keys).toEqual([...keys].sort());
      expect(keys.every((k) => /^[0-9A-F]{8}$/.test(k))).toBe(true);
    }
    expect(new Set(metadata.map((d) => d['00080018']?.Value?.[0]))).toEqual(new Set(seedImages().map((f) => f.sopInstanceUid)));
  });

  it('narrows to one series, and gives [] for a study or series the manifest does not list', () => {
    const series = toDicomJsonMetadata(manifest, { studyUid: STUDY, seriesUid: '2.999.1.2.5.1.2', retrieveBaseUrl: BASE });
    expect(series.map((d) => d['00080018']?.Value?.[0])).toEqual(['2.999.1.2.5.1.2.1', '2.999.1.2.5.1.2.2', '2.999.1.2.5.1.2.3']);
    expect(toDicomJsonMetadata(manifest, { studyUid: '2.999.404', retrieveBaseUrl: BASE })).toEqual([]);
    expect(toDicomJsonMetadata(manifest, { studyUid: STUDY, seriesUid: '2.999.404', retrieveBaseUrl: BASE })).toEqual([]);
  });

  it('writes unknown Type 2 attributes empty and leaves out unknown modality and instance number', () => {
    const bare: KosManifest = {
      sopInstanceUid: '2.999.9.1',
      studyUid: '2.999.9.2',
      series: [{ studyUid: '2.999.9.2', seriesUid: '2.999.9.3', instances: [{ sopClassUid: '1.2.840.10008.5.1.4.1.1.4', sopInstanceUid: '2.999.9.4' }] }],
    };
    const [dataset] = toDicomJsonMetadata(bare, { studyUid: '2.999.9.2', retrieveBaseUrl: BASE });
    expect(dataset?.['00080050']).toEqual({ vr: 'SH' });
    expect(dataset?.['00100020']).toEqual({ vr: 'LO' });
    expect(dataset).not.toHaveProperty('00080060');
    expect(dataset).not.toHaveProperty('00200013');
    expect(Object.keys(dataset ?? {})).toHaveLength(7);
  });
});
