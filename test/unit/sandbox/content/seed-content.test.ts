import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromRoot } from '../../../../src/config/paths';
import { parseKosManifest } from '../../../../src/imaging/kos';
import { SandboxContentStore } from '../../../../src/sandbox/content/content-store';
import { loadSandboxSeed } from '../../../../src/sandbox/seed';
import type { SandboxDocument, SandboxSeed } from '../../../../src/sandbox/seed-types';
import { pdfProblems } from './pdf-structure';

/**
 * The seed's metadata describes real bytes: for every seeded document the size and SHA-1 (ITI TF-3 4.2.3.2.19,
 * 4.2.3.2.12) of its content equal the DocumentEntry's, the PDFs are well-formed, and generate-content.js
 * recreates the committed files byte for byte.
 */
interface Generator {
  readonly REPORTS: ReadonlyArray<{ file: string; written?: boolean }>;
  reportPdf(report: unknown): Buffer;
  generate(outDir: string): void;
}
// The generator is a plain node script (runnable without a build), so it is required rather than imported.
const generator = require('../../../../src/sandbox/seed/generate-content.js') as Generator;

const seedDir = fromRoot('src', 'sandbox', 'seed');
const contentDir = path.join(seedDir, 'content');
const seeds: Array<[string, SandboxSeed]> = [
  ['community-a', loadSandboxSeed('community-a')],
  ['community-b', loadSandboxSeed('community-b')],
];
const sha1 = (b: Buffer): string => createHash('sha1').update(b).digest('hex');

/** Seeded documents by content source; documents claiming the same content, size and hash are listed once. */
function documents(source: 'file' | 'missing' | 'generated'): Array<[string, SandboxDocument, SandboxContentStore]> {
  return seeds.flatMap(([name, seed]) => {
    const store = new SandboxContentStore(seed, { largeDocumentBytes: 8192 });
    const distinct = new Map<string, SandboxDocument>();
    for (const d of seed.patients.flatMap((p) => p.documents)) {
      if ((d.contentSource ?? 'file') === source) distinct.set(`${d.content} ${d.size} ${d.hash}`, distinct.get(`${d.content} ${d.size} ${d.hash}`) ?? d);
    }
    return [...distinct.values()].map((d) => [`${name} ${d.uniqueId} (${d.content})`, d, store] as [string, SandboxDocument, SandboxContentStore]);
  });
}

describe('seed content', () => {
  it.each(documents('file'))('%s: size and SHA-1 of the content equal the metadata', (_name, doc, store) => {
    const bytes = fs.readFileSync(store.filePath(doc));
    expect([bytes.length, sha1(bytes)]).toEqual([doc.size, doc.hash]);
  });

  it("B's KOS of 9000000009 is the DICOM KOS of seed/dicom (its index entry), and the manifest agrees with the metadata", () => {
    const [, b] = seeds[1]!;
    const kos = b.patients.find((p) => p.nhsNumber === '9000000009')!.documents[0]!;
    const index = JSON.parse(fs.readFileSync(path.join(seedDir, 'dicom', 'index.json'), 'utf8')) as { files: Array<{ path: string; size: number; sha1: string }> };
    const entry = index.files.find((f) => f.path === kos.content);
    expect([entry?.size, entry?.sha1]).toEqual([kos.size, kos.hash]);
    expect(new SandboxContentStore(b).filePath(kos)).toBe(path.join(seedDir, 'dicom', kos.content));
  });

  it.each(seeds.flatMap(([, seed]) => seed.patients.flatMap((p) => p.documents.filter((d) => d.mimeType === 'application/dicom').map((d) => [d.uniqueId, d, seed] as const))))(
    'KOS %s: the manifest names the uniqueId, the study and accession of the metadata, and this repository',
    (_id, doc, seed) => {
      const manifest = parseKosManifest(fs.readFileSync(new SandboxContentStore(seed).filePath(doc)));
      expect(manifest.sopInstanceUid).toBe(doc.uniqueId);
      expect(doc.referenceIdList).toContain(`${manifest.studyUid}^^^^urn:ihe:iti:xds:2016:studyInstanceUID`);
      expect(doc.referenceIdList).toContain(`${manifest.accessionNumber}^^^&${manifest.accessionNumberIssuer}&ISO^urn:ihe:iti:xds:2013:accession`);
      expect(new Set(manifest.series.map((s) => s.retrieveLocationUid))).toEqual(new Set([seed.repositoryUniqueId]));
    },
  );

  it.each(documents('missing'))('%s: content is missing, but the metadata describes the bytes generate-content.js computes for it', (_name, doc, store) => {
    expect(fs.existsSync(store.filePath(doc))).toBe(false);
    expect(store.content(doc)).toBeUndefined();
    const report = generator.REPORTS.find((r) => r.file === doc.content);
    const bytes = generator.reportPdf(report);
    expect([bytes.length, sha1(bytes)]).toEqual([doc.size, doc.hash]);
  });

  it('9000000076 holds the one generated document, with no size or hash in the seed', () => {
    const generated = documents('generated');
    expect(generated.map(([, d]) => d.uniqueId)).toEqual(['2.999.1.1.1.76.1']);
    expect(generated.map(([, d]) => [d.size, d.hash])).toEqual([[undefined, undefined]]);
  });

  it('the 300 generated documents of 9000000041 share one content file', () => {
    const docs = seeds[0]![1].patients.find((p) => p.nhsNumber === '9000000041')!.documents;
    expect(new Set(docs.map((d) => `${d.content} ${d.size} ${d.hash}`)).size).toBe(1);
  });
});

describe('the PDF reports', () => {
  const pdfs = fs.readdirSync(contentDir).filter((f) => f.endsWith('.pdf'));

  it.each(pdfs)('%s is a well-formed PDF (xref offsets, stream lengths, trailer)', (file) => {
    expect(pdfProblems(fs.readFileSync(path.join(contentDir, file)))).toEqual([]);
  });

  it('the check catches a PDF whose offsets are off by one byte', () => {
    const good = fs.readFileSync(path.join(contentDir, pdfs[0]!));
    const shifted = Buffer.concat([good.subarray(0, 9), Buffer.from(' '), good.subarray(9)]);
    expect(pdfProblems(shifted)).toEqual(expect.arrayContaining([expect.stringMatching(/startxref|object 1 is not at offset/)]));
  });

  it('file(1) recognises each as a one-page PDF', () => {
    const out = execFileSync('file', pdfs.map((f) => path.join(contentDir, f)), { encoding: 'utf8' });
    expect(out.trim().split('\n').map((l) => l.replace(/^.*: +/, ''))).toEqual(pdfs.map(() => 'PDF document, version 1.4, 1 pages'));
  });

  it('the reports the repository "lost" (9000000084, the preliminary of 9000000092) are well-formed too', () => {
    const lost = generator.REPORTS.filter((r) => r.written === false);
    expect(lost.map((r) => r.file)).toEqual(['report-84.pdf', 'report-92-preliminary.pdf']);
    for (const report of lost) expect(pdfProblems(generator.reportPdf(report))).toEqual([]);
  });

  it('generate-content.js recreates every committed file byte for byte, and writes nothing else', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-content-'));
    try {
      generator.generate(tmp);
      const written = fs.readdirSync(tmp).sort();
      expect(written).toEqual(fs.readdirSync(contentDir).filter((f) => !f.endsWith('.dump')).sort());
      for (const file of written) expect(sha1(fs.readFileSync(path.join(tmp, file)))).toBe(sha1(fs.readFileSync(path.join(contentDir, file))));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
