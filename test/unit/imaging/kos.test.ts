import { KosError, parseKosManifest, type KosErrorReason, type KosManifest } from '../../../src/imaging/kos';
import { convertedKos, element, makeTmp, modifiedKos, part10, removeTmp, seedBytes, seedImages, seedKosBytes, seedKosEntry, ui } from './dicom-fixtures';

/** An implicit VR little endian element (PS3.5 7.1.3): tag, 4-byte length, value. */
function implicit(group: number, elem: number, value: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16LE(group, 0);
  head.writeUInt16LE(elem, 2);
  head.writeUInt32LE(value.length, 4);
  return Buffer.concat([head, value]);
}

/** An item (FFFE,E000) of defined length holding `content`. */
function item(content: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16LE(0xfffe, 0);
  head.writeUInt16LE(0xe000, 2);
  head.writeUInt32LE(content.length, 4);
  return Buffer.concat([head, content]);
}

/** The KosError parseKosManifest throws for `bytes` (fails the test when it parses or throws anything else). */
function failure(bytes: Uint8Array, opts?: { maxBytes?: number }): KosError {
  try {
    parseKosManifest(bytes, opts);
  } catch (err) {
    if (err instanceof KosError) return err;
    throw err;
  }
  throw new Error('expected a KosError, the manifest parsed');
}

function reasonOf(bytes: Uint8Array, opts?: { maxBytes?: number }): KosErrorReason {
  return failure(bytes, opts).reason;
}

/** The seed KOS with one ASCII string replaced by another of the same length. */
function edited(from: string, to: string): Buffer {
  const bytes = Buffer.from(seedKosBytes());
  const at = bytes.indexOf(from, 0, 'latin1');
  if (at < 0 || from.length !== to.length) throw new Error(`cannot edit '${from}'`);
  bytes.write(to, at, 'latin1');
  return bytes;
}

let tmp: string;
beforeAll(() => {
  tmp = makeTmp('kos');
});
afterAll(() => removeTmp(tmp));

describe('parseKosManifest: the seed KOS', () => {
  const manifest = parseKosManifest(seedKosBytes());

  it('reads the study, accession with issuer, date/time, patient and the manifest UID', () => {
    expect(manifest).toMatchObject({
      sopInstanceUid: seedKosEntry().sopInstanceUid,
      studyUid: '2.999.1.2.5.1',
      accessionNumber: 'ACC1001',
      accessionNumberIssuer: '2.999.1.2.4',
      studyDate: '20240115',
      studyTime: '091500',
      timezoneOffset: '+0000',
      studyDescription: 'CT chest',
      patientId: '9000000009',
      patientIdIssuer: '2.16.840.1.113883.2.1.4.1',
    });
  });

  it('lists every series and instance of index.json, with SOP classes, modality, numbers and retrieve location', () => {
    const listed = manifest.series.flatMap((s) => s.instances.map((i) => ({ seriesUid: s.seriesUid, sopClassUid: i.sopClassUid, sopInstanceUid: i.sopInstanceUid })));
    const images = seedImages().map((f) => ({ seriesUid: f.seriesUid, sopClassUid: f.sopClassUid, sopInstanceUid: f.sopInstanceUid }));
    expect(listed).toEqual(expect.arrayContaining(images));
    expect(listed).toHaveLength(images.length);
    expect(manifest.series.map((s) => [s.seriesNumber, s.modality, s.retrieveLocationUid, s.retrieveAeTitle, s.studyUid])).toEqual([
      [1, 'CT', '2.999.1.2.1', 'SANDBOX_B', '2.999.1.2.5.1'],
      [2, 'CT', '2.999.1.2.1', 'SANDBOX_B', '2.999.1.2.5.1'],
    ]);
    expect(manifest.series[0]?.description).toBe('Chest 5mm axial');
    expect(manifest.series.map((s) => s.instances.map((i) => i.instanceNumber))).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
  });

  it.each<[string, string[]]>([
    ['undefined-length sequences and items', ['+te', '-e']],
    ['implicit VR little endian', ['+ti']],
    ['explicit VR big endian', ['+tb']],
    ['deflated explicit VR little endian', ['+td']],
  ])('reads the same manifest re-encoded with %s', (name, args) => {
    const again: KosManifest = parseKosManifest(convertedKos(tmp, name.replace(/\W+/g, '-'), args));
    expect(again).toEqual(manifest);
  });
});

describe('parseKosManifest: hand-built manifests', () => {
  const KOS = '1.2.840.10008.5.1.4.1.1.88.59';

  it('reads an implicit VR manifest with an empty issuer sequence and no MADO extras', () => {
    const sop = item(Buffer.concat([implicit(0x0008, 0x1150, ui('1.2.840.10008.5.1.4.1.1.4')), implicit(0x0008, 0x1155, ui('2.999.9.4'))]));
    const series = item(Buffer.concat([implicit(0x0008, 0x1199, sop), implicit(0x0020, 0x000e, ui('2.999.9.3'))]));
    const study = item(Buffer.concat([implicit(0x0008, 0x1115, series), implicit(0x0020, 0x000d, ui('2.999.9.2'))]));
    const dataSet = Buffer.concat([
      implicit(0x0008, 0x0016, ui(KOS)),
      implicit(0x0008, 0x0018, ui('2.999.9.1')),
      implicit(0x0008, 0x0050, Buffer.from('A-7 ')),
      implicit(0x0008, 0x0051, Buffer.alloc(0)),
      implicit(0x0020, 0x000d, ui('2.999.9.2')),
      implicit(0x0040, 0xa375, study),
    ]);
    expect(parseKosManifest(part10(dataSet, '1.2.840.10008.1.2'))).toEqual({
      sopInstanceUid: '2.999.9.1',
      studyUid: '2.999.9.2',
      accessionNumber: 'A-7',
      series: [{ studyUid: '2.999.9.2', seriesUid: '2.999.9.3', instances: [{ sopClassUid: '1.2.840.10008.5.1.4.1.1.4', sopInstanceUid: '2.999.9.4' }] }],
    });
  });

  it('an evidence attribute that is not a sequence is malformed', () => {
    const dataSet = Buffer.concat([
      element(0x0008, 0x0016, 'UI', ui(KOS)),
      element(0x0008, 0x0018, 'UI', ui('2.999.9.1')),
      element(0x0020, 0x000d, 'UI', ui('2.999.9.2')),
      element(0x0040, 0xa375, 'UI', ui('2.999.9.5')),
    ]);
    const err = failure(part10(dataSet));
    expect([err.reason, err.message]).toEqual(['malformed', "the manifest's CurrentRequestedProcedureEvidenceSequence is not a sequence"]);
  });
});

describe('parseKosManifest: refusals', () => {
  it.each(seedImages().map((f) => [f.path, f] as const))('%s (a CT image) is not-kos, naming its SOP Class', (_name, entry) => {
    const err = failure(seedBytes(entry));
    expect(err.reason).toBe('not-kos');
    expect(err.message).toBe(
      'the document is DICOM (SOP Class 1.2.840.10008.5.1.4.1.1.2) but not a Key Object Selection Document (SOP Class 1.2.840.10008.5.1.4.1.1.88.59)',
    );
  });

  it('a KOS without the Current Requested Procedure Evidence Sequence is no-evidence, said plainly', () => {
    const err = failure(modifiedKos(tmp, 'no-evidence', ['-e', '(0040,a375)']));
    expect(err).toBeInstanceOf(KosError);
    expect(err.reason).toBe('no-evidence');
    expect(err.message).toBe('the manifest lacks the Current Requested Procedure Evidence Sequence (0040,A375)');
  });

  it('a KOS whose evidence lists no series, or series without instances, is no-instances', () => {
    expect(reasonOf(modifiedKos(tmp, 'no-series', ['-e', '(0040,a375)[0].(0008,1115)']))).toBe('no-instances');
    const noSops = modifiedKos(tmp, 'no-sops', ['-e', '(0040,a375)[0].(0008,1115)[0].(0008,1199)', '-e', '(0040,a375)[0].(0008,1115)[1].(0008,1199)']);
    expect(failure(noSops).message).toBe('the manifest references no DICOM instance in its Current Requested Procedure Evidence Sequence');
  });

  it('leaves out a series without instances when others have some', () => {
    const manifest = parseKosManifest(modifiedKos(tmp, 'one-empty', ['-e', '(0040,a375)[0].(0008,1115)[1].(0008,1199)']));
    expect(manifest.series.map((s) => s.seriesUid)).toEqual(['2.999.1.2.5.1.1']);
  });

  it('another SR SOP class is not-kos', () => {
    expect(reasonOf(modifiedKos(tmp, 'basic-text-sr', ['-m', '(0008,0016)=1.2.840.10008.5.1.4.1.1.88.11']))).toBe('not-kos');
  });

  it.each<[string, Buffer, string]>([
    ['a Referenced SOP Instance UID with a letter', edited('2.999.1.2.5.1.2.2', '2.999.1.2.5.X.2.2'), "the manifest's Referenced SOP Instance UID (0008,1155) in Current Requested Procedure Evidence Sequence item 1 > Referenced Series Sequence item 2 > Referenced SOP Sequence item 2 is missing or not a valid DICOM UID"],
    ['a Retrieve Location UID with a leading zero', edited('2.999.1.2.1\0', '2.999.1.02.1'), "the manifest's Retrieve Location UID (0040,E011) in Current Requested Procedure Evidence Sequence item 1 > Referenced Series Sequence item 1 is not a valid DICOM UID"],
  ])('%s is malformed, and the message says where', (_label, bytes, message) => {
    const err = failure(bytes);
    expect([err.reason, err.message]).toEqual(['malformed', message]);
  });

  it('a KOS without its own Study Instance UID is malformed', () => {
    const err = failure(modifiedKos(tmp, 'no-study', ['-e', '(0020,000d)']));
    expect([err.reason, err.message]).toEqual(['malformed', "the manifest's Study Instance UID (0020,000D) is missing or not a valid DICOM UID"]);
  });

  it('more bytes than maxBytes is too-large, before parsing and after inflating', () => {
    const bytes = seedKosBytes();
    expect(failure(bytes, { maxBytes: bytes.length - 1 }).message).toBe(`the manifest is ${bytes.length} bytes; this service accepts at most ${bytes.length - 1}`);
    const deflated = convertedKos(tmp, 'deflated', ['+td']);
    expect(deflated.length).toBeLessThan(bytes.length);
    expect(reasonOf(deflated, { maxBytes: deflated.length + 10 })).toBe('too-large');
  });
});
