import { DEFAULT_TRANSFER_SYNTAX_UIDS } from '../../../../src/xca/rad75';
import { DEFAULT_MAX_KOS_BYTES } from '../../../../src/imaging/kos';
import { imagingTable, loadImagingTable, type ImagingTable } from '../../../../src/interactions/imaging/imaging-table';
import { codeSystemByKey } from '../../../../src/mappings/code-systems';
import { MappingTableError } from '../../../../src/mappings/load';
import { brokenCopy } from '../../mappings/broken-copy';

describe('mappings/imaging.json', () => {
  it('loads, with the defaults of the imaging code it configures', () => {
    const table = imagingTable();
    expect(table.transferSyntaxUids).toEqual(DEFAULT_TRANSFER_SYNTAX_UIDS);
    expect(table.maxManifestBytes).toBe(DEFAULT_MAX_KOS_BYTES);
    expect(table.kosFormat.system).toBe(codeSystemByKey('dicom-uid').uri);
    expect(table.kosMimeType).toBe('application/dicom');
  });

  it.each<[string, (t: any) => void, RegExp]>([
    ['a transfer syntax that is not a UID', (t) => t.transferSyntaxUids.push('explicit-le'), /transferSyntaxUids/],
    ['no transfer syntax at all', (t) => (t.transferSyntaxUids = []), /transferSyntaxUids/],
    ['a concurrency of 0', (t) => (t.manifestFetchConcurrency = 0), /manifestFetchConcurrency/],
    ['an unknown key', (t) => (t.maxStudies = 3), /additional/],
    ['a pass-through parameter search-parameters.json lacks', (t) => t.searchParameters.push('body-site'), /body-site/],
  ])('refuses a copy with %s, naming where', (_label, mutate, where) => {
    const { dir } = brokenCopy<ImagingTable>('imaging', mutate);
    expect(() => loadImagingTable(dir)).toThrow(MappingTableError);
    expect(() => loadImagingTable(dir)).toThrow(where);
  });
});
