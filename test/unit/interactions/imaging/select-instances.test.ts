import { offeredTransferSyntaxUids } from '../../../../src/interactions/imaging/imaging-table';
import { targetSeries, toRad75Request } from '../../../../src/interactions/imaging/select-instances';
import { FacadeError } from '../../../../src/errors/facade-error';
import { seedImages } from '../../imaging/dicom-fixtures';
import { SEED_HOME, seedManifest, stored } from './fixtures';

const STUDY = '2.999.1.2.5.1';
const images = seedImages();
const [first] = images;

describe('toRad75Request: a WADO-RS target as one RAD-75 request', () => {
  it('asks for every instance of the study, series by series, from the manifest community and Retrieve Location', () => {
    const request = toRad75Request(stored(), { studyUid: STUDY }, offeredTransferSyntaxUids());
    expect(request.homeCommunityId).toBe(SEED_HOME);
    expect(request.studyInstanceUid).toBe(STUDY);
    expect(request.transferSyntaxUids).toEqual(offeredTransferSyntaxUids());
    const asked = request.series.flatMap((s) => s.instances.map((i) => [s.seriesInstanceUid, i.sopInstanceUid]));
    expect(asked.sort()).toEqual(images.map((e) => [e.seriesUid, e.sopInstanceUid]).sort());
    const repositories = new Set(request.series.flatMap((s) => s.instances.map((i) => i.repositoryUniqueId)));
    expect([...repositories]).toEqual([seedManifest().series[0]!.retrieveLocationUid]);
  });

  it('narrows to a series and to one instance', () => {
    const series = toRad75Request(stored(), { studyUid: STUDY, seriesUid: first!.seriesUid }, ['1.2.840.10008.1.2.1']);
    expect(series.series).toHaveLength(1);
    expect(series.series[0]!.instances).toHaveLength(images.filter((e) => e.seriesUid === first!.seriesUid).length);
    const one = toRad75Request(stored(), { studyUid: STUDY, seriesUid: first!.seriesUid, sopInstanceUid: first!.sopInstanceUid }, ['1.2.840.10008.1.2.1']);
    expect(one.series).toEqual([{ seriesInstanceUid: first!.seriesUid, instances: [{ sopInstanceUid: first!.sopInstanceUid, repositoryUniqueId: expect.any(String) }] }]);
  });

  it("falls back to the repository that served the manifest when a series has no Retrieve Location UID", () => {
    const manifest = seedManifest();
    const bare = { ...manifest, series: manifest.series.map(({ retrieveLocationUid: _drop, ...s }) => s) };
    const request = toRad75Request({ ...stored(bare), repositoryUniqueId: '2.999.42.1' }, { studyUid: STUDY }, ['1.2.840.10008.1.2.1']);
    expect(new Set(request.series.flatMap((s) => s.instances.map((i) => i.repositoryUniqueId)))).toEqual(new Set(['2.999.42.1']));
  });

  it.each([
    ['an unknown study', { studyUid: '2.999.404' }],
    ['an unknown series', { studyUid: STUDY, seriesUid: '2.999.404' }],
    ['an unknown instance', { studyUid: STUDY, seriesUid: first!.seriesUid, sopInstanceUid: '2.999.404' }],
    ['a known instance under the wrong series', { studyUid: STUDY, seriesUid: images.find((e) => e.seriesUid !== first!.seriesUid)!.seriesUid, sopInstanceUid: first!.sopInstanceUid }],
  ])('refuses %s with NO_RECORD_FOUND (404), naming what is missing', (_label, target) => {
    let thrown: unknown;
    try {
      toRad75Request(stored(), target, ['1.2.840.10008.1.2.1']);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(FacadeError);
    expect((thrown as FacadeError).status).toBe(404);
    expect((thrown as FacadeError).message).toContain('2.999');
  });

  it('targetSeries lists the series of the study only', () => {
    expect(targetSeries(stored(), { studyUid: STUDY }).map((s) => s.seriesUid).sort()).toEqual([...new Set(images.map((e) => e.seriesUid))].sort());
    expect(targetSeries(stored(), { studyUid: '2.999.404' })).toEqual([]);
  });
});
