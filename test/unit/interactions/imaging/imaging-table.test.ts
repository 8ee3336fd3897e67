import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_MAX_KOS_BYTES } from '../../../../src/imaging/kos';
import { imagingTable, loadImagingTable, losslessTransferSyntaxUids, offeredTransferSyntaxUids, type ImagingTable } from '../../../../src/interactions/imaging/imaging-table';
import { codeSystemByKey } from '../../../../src/mappings/code-systems';
import { MappingTableError } from '../../../../src/mappings/load';
import { brokenCopy } from '../../mappings/broken-copy';

describe('mappings/imaging.json', () => {
  it('loads, with the defaults of the imaging code it configures', () => {
    const table = imagingTable();
    expect(table.maxManifestBytes).toBe(DEFAULT_MAX_KOS_BYTES);
    expect(table.kosFormat.system).toBe(codeSystemByKey('dicom-uid').uri);
    expect(table.kosMimeType).toBe('application/dicom');
  });

  it.each<[string, (t: any) => void, RegExp]>([
    ['a transfer syntax that is not a UID', (t) => t.transferSyntaxes.push({ uid: 'explicit-le', name: 'Explicit VR Little Endian', lossy: false }), /\/transferSyntaxes\/7\/uid/],
    ['no transfer syntax at all', (t) => (t.transferSyntaxes = []), /\/transferSyntaxes/],
    ['a transfer syntax without its lossy flag', (t) => delete t.transferSyntaxes[4].lossy, /\/transferSyntaxes\/4 must have required property 'lossy'/],
    ['a transfer syntax without a name', (t) => (t.transferSyntaxes[0].name = ''), /\/transferSyntaxes\/0\/name/],
    ['the same transfer syntax twice', (t) => t.transferSyntaxes.push({ ...t.transferSyntaxes[0], name: 'again' }), /\/transferSyntaxes\/7\/uid duplicates \/transferSyntaxes\/0\/uid/],
    ['the transfer syntaxes still as a bare UID list', (t) => ((t.transferSyntaxUids = t.transferSyntaxes.map((s: { uid: string }) => s.uid)), delete t.transferSyntaxes), /required property 'transferSyntaxes'/],
    ['a concurrency of 0', (t) => (t.manifestFetchConcurrency = 0), /manifestFetchConcurrency/],
    ['an unknown key', (t) => (t.maxStudies = 3), /additional/],
    ['a pass-through parameter search-parameters.json lacks', (t) => t.searchParameters.push('body-site'), /body-site/],
  ])('refuses a copy with %s, naming where', (_label, mutate, where) => {
    const { dir } = brokenCopy<ImagingTable>('imaging', mutate);
    expect(() => loadImagingTable(dir)).toThrow(MappingTableError);
    expect(() => loadImagingTable(dir)).toThrow(where);
  });

  it('refuses a folder without the table', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mappings-none-'));
    expect(() => loadImagingTable(dir)).toThrow(MappingTableError);
    expect(() => loadImagingTable(dir)).toThrow(path.join(dir, 'imaging.json'));
  });
});

describe('RAD-75 transfer syntaxes of mappings/imaging.json', () => {
  it('offer explicit VR little endian first, the usual compressed syntaxes, and implicit VR last', () => {
    expect(offeredTransferSyntaxUids()).toEqual([
      '1.2.840.10008.1.2.1',
      '1.2.840.10008.1.2.4.70',
      '1.2.840.10008.1.2.4.90',
      '1.2.840.10008.1.2.5',
      '1.2.840.10008.1.2.4.50',
      '1.2.840.10008.1.2.4.91',
      '1.2.840.10008.1.2',
    ]);
    expect(new Set(offeredTransferSyntaxUids()).size).toBe(imagingTable().transferSyntaxes.length);
  });

  it('leave out JPEG baseline and JPEG 2000 (lossy) in the lossless list', () => {
    expect(losslessTransferSyntaxUids()).toEqual(offeredTransferSyntaxUids().filter((uid) => uid !== '1.2.840.10008.1.2.4.50' && uid !== '1.2.840.10008.1.2.4.91'));
  });

  it('name each syntax as DICOM PS3.6 does', () => {
    expect(imagingTable().transferSyntaxes.map((s) => [s.uid, s.name])).toEqual(
      expect.arrayContaining([
        ['1.2.840.10008.1.2.1', 'Explicit VR Little Endian'],
        ['1.2.840.10008.1.2', 'Implicit VR Little Endian'],
        ['1.2.840.10008.1.2.4.50', 'JPEG Baseline (Process 1)'],
      ]),
    );
  });
});
