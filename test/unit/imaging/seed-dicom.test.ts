import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../../../src/config/paths';
import { parseKosManifest } from '../../../src/imaging/kos';
import { CT_IMAGE_STORAGE, dcmtk, dcmtkRun, KOS_SOP_CLASS, makeTmp, removeTmp, SEED_DICOM_DIR, seedBytes, seedImages, seedIndex, seedKosBytes, seedKosEntry } from './dicom-fixtures';

/** dcmdump's value of a top-level attribute (top-level lines are not indented). */
function top(dump: string, tag: string): string | undefined {
  const line = dump.split('\n').find((l) => l.startsWith(`(${tag})`));
  return line === undefined ? undefined : (/\[([^\]]*)\]/.exec(line)?.[1] ?? /^\(\S+\) \S\S (\S+)/.exec(line)?.[1]);
}

function dcmdump(file: string): string {
  return dcmtk('dcmdump', ['--no-uid-names', path.join(SEED_DICOM_DIR, file)]);
}

describe('sandbox seed DICOM (src/sandbox/seed/dicom)', () => {
  const index = seedIndex();

  it('holds one KOS and at least five CT images in at least two series of one study', () => {
    expect(index.filter((f) => f.sopClassUid === KOS_SOP_CLASS)).toHaveLength(1);
    const images = seedImages();
    expect(images.length).toBeGreaterThanOrEqual(5);
    expect(images.every((f) => f.sopClassUid === CT_IMAGE_STORAGE)).toBe(true);
    expect(new Set(images.map((f) => f.seriesUid)).size).toBeGreaterThanOrEqual(2);
    expect(new Set(index.map((f) => f.studyUid))).toEqual(new Set(['2.999.1.2.5.1']));
    expect(index.every((f) => f.sopInstanceUid.startsWith('2.999.') && f.seriesUid.startsWith('2.999.'))).toBe(true);
  });

  it.each(seedIndex().map((f) => [f.path, f] as const))('%s: bytes match index.json (size, SHA-1, SHA-256) and stay under 200 KB', (_name, entry) => {
    const bytes = seedBytes(entry);
    expect(bytes.length).toBe(entry.size);
    expect(bytes.length).toBeLessThan(200 * 1024);
    expect(createHash('sha1').update(bytes).digest('hex')).toBe(entry.sha1);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry.sha256);
  });

  it.each(seedIndex().map((f) => [f.path, f] as const))('%s: dcmdump reads it, explicit VR little endian, UIDs as in index.json', (_name, entry) => {
    const { stdout: dump, stderr } = dcmtkRun('dcmdump', ['--no-uid-names', path.join(SEED_DICOM_DIR, entry.path)]);
    expect(stderr).toBe('');
    expect(top(dump, '0002,0010')).toBe('1.2.840.10008.1.2.1');
    expect(top(dump, '0008,0016')).toBe(entry.sopClassUid);
    expect(top(dump, '0008,0018')).toBe(entry.sopInstanceUid);
    expect(top(dump, '0002,0003')).toBe(entry.sopInstanceUid);
    expect(top(dump, '0020,000e')).toBe(entry.seriesUid);
    expect(top(dump, '0020,000d')).toBe(entry.studyUid);
    expect(top(dump, '0010,0020')).toBe('9000000009');
  });

  it.each(seedImages().map((f) => [f.path] as const))('%s is a small 16-bit MONOCHROME2 image with pixel data', (file) => {
    const dump = dcmdump(file);
    expect([top(dump, '0028,0010'), top(dump, '0028,0011'), top(dump, '0028,0100')]).toEqual(['64', '64', '16']);
    expect(top(dump, '0028,0004')).toBe('MONOCHROME2');
    expect(dump).toMatch(/^\(7fe0,0010\) OW .*# 8192, 1 PixelData$/m);
  });

  it("agrees with Community B's seed entry for patient 9000000009 (uniqueId, study UID, accession, repository, content)", () => {
    const seed = JSON.parse(fs.readFileSync(fromRoot('src', 'sandbox', 'seed', 'community-b.json'), 'utf8')) as {
      repositoryUniqueId: string;
      patients: { nhsNumber: string; documents?: { uniqueId: string; mimeType: string; referenceIdList?: string[]; content: string }[] }[];
    };
    const doc = seed.patients.find((p) => p.nhsNumber === '9000000009')?.documents?.find((d) => d.mimeType === 'application/dicom');
    expect(doc).toBeDefined();
    const manifest = parseKosManifest(seedKosBytes());
    expect(manifest.sopInstanceUid).toBe(doc?.uniqueId);
    expect(seedKosEntry().path).toBe(doc?.content);
    const refs = doc?.referenceIdList ?? [];
    expect(refs).toContain(`${manifest.studyUid}^^^^urn:ihe:iti:xds:2016:studyInstanceUID`);
    expect(refs).toContain(`${manifest.accessionNumber}^^^&${manifest.accessionNumberIssuer}&ISO^urn:ihe:iti:xds:2013:accession`);
    expect(new Set(manifest.series.map((s) => s.retrieveLocationUid))).toEqual(new Set([seed.repositoryUniqueId]));
  });

  it('generate.sh recreates every file byte for byte', () => {
    const tmp = makeTmp('seed-dicom');
    try {
      execFileSync(path.join(SEED_DICOM_DIR, 'generate.sh'), [tmp], { stdio: ['ignore', 'pipe', 'pipe'] });
      for (const entry of index) {
        expect(createHash('sha256').update(fs.readFileSync(path.join(tmp, entry.path))).digest('hex')).toBe(entry.sha256);
      }
      expect(fs.readFileSync(path.join(tmp, 'index.json'), 'utf8')).toBe(fs.readFileSync(path.join(SEED_DICOM_DIR, 'index.json'), 'utf8'));
    } finally {
      removeTmp(tmp);
    }
  });
});
