import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isValidNhsNumber } from '../../../src/nhs/nhs-number';
import { SandboxDataError } from '../../../src/sandbox/json-table';
import { xdsRegistryProtocol } from '../../../src/sandbox/protocol';
import { loadSandboxSeed } from '../../../src/sandbox/seed';
import type { SandboxSeed } from '../../../src/sandbox/seed-types';

const a = loadSandboxSeed('community-a');
const b = loadSandboxSeed('community-b');
const { approved, deprecated } = xdsRegistryProtocol().status;

const patient = (seed: SandboxSeed, nhs: string) => seed.patients.find((p) => p.nhsNumber === nhs);

describe('sandbox seeds', () => {
  it('name their communities under the 2.999 example arc, with the initiator timeouts the facade uses', () => {
    expect(a.community).toEqual({ name: 'Sandbox Community A', homeCommunityId: 'urn:oid:2.999.1.1', initiatorTimeoutMs: 10000 });
    expect(b.community).toEqual({ name: 'Sandbox Community B', homeCommunityId: 'urn:oid:2.999.1.2', initiatorTimeoutMs: 2000 });
    expect([a.repositoryUniqueId, b.repositoryUniqueId]).toEqual(['2.999.1.1.1', '2.999.1.2.1']);
    for (const seed of [a, b]) {
      for (const doc of seed.patients.flatMap((p) => p.documents)) expect(doc.uniqueId.startsWith(`${seed.repositoryUniqueId}.`)).toBe(true);
    }
  });

  it('use valid NHS test numbers only, and not 9000000068', () => {
    for (const p of [...a.patients, ...b.patients]) expect(isValidNhsNumber(p.nhsNumber)).toBe(true);
    expect(patient(a, '9000000068')).toBeUndefined();
    expect(patient(b, '9000000068')).toBeUndefined();
  });

  it('9000000009: two or more current PDF reports and one deprecated report in A, a KOS manifest in B', () => {
    const docsA = patient(a, '9000000009')!.documents;
    expect(docsA.filter((d) => d.availabilityStatus === approved && d.mimeType === 'application/pdf').length).toBeGreaterThanOrEqual(2);
    expect(docsA.filter((d) => d.availabilityStatus === deprecated)).toHaveLength(1);
    expect(new Set(docsA.map((d) => d.creationTime)).size).toBe(docsA.length);
    const [kos] = patient(b, '9000000009')!.documents;
    expect(kos?.mimeType).toBe('application/dicom');
    expect(kos?.formatCode).toMatchObject({ code: '1.2.840.10008.5.1.4.1.1.88.59', scheme: '1.2.840.10008.2.6.1' });
    expect(kos?.referenceIdList?.some((r) => r.endsWith('^^^^urn:ihe:iti:xds:2016:studyInstanceUID'))).toBe(true);
    expect(kos?.referenceIdList?.some((r) => /\^\^\^&2\.999\.[0-9.]+&ISO\^urn:ihe:iti:xds:2013:accession$/.test(r))).toBe(true);
  });

  it('holds the other scenarios', () => {
    expect(patient(a, '9000000017')!.documents).toEqual([]);
    expect(patient(b, '9000000017')!.documents).toEqual([]);
    expect(patient(a, '9000000025')!.documents.length).toBeGreaterThan(0);
    expect(patient(b, '9000000025')!.behaviour?.registryError?.errorCode).toBe('XDSRegistryError');
    expect(patient(a, '9000000033')!.documents.length).toBeGreaterThan(0);
    expect(patient(b, '9000000033')!.behaviour?.delayMs).toBe(5000);
  });

  it('9000000076: one current document generated on the fly; 9000000084: one document whose content is missing', () => {
    expect(patient(a, '9000000076')!.documents.map((d) => [d.availabilityStatus, d.contentSource])).toEqual([[approved, 'generated']]);
    expect(patient(a, '9000000084')!.documents.map((d) => [d.availabilityStatus, d.contentSource, typeof d.size, typeof d.hash])).toEqual([[approved, 'missing', 'number', 'string']]);
    expect(b.imaging).toEqual({ dicomIndex: 'dicom/index.json', transferSyntaxUid: '1.2.840.10008.1.2.1', mimeType: 'application/dicom' });
    expect(a.imaging).toBeUndefined();
  });

  it('9000000092: a current final report and the Deprecated preliminary it replaced, content missing, both root^extension ids, unknown to B', () => {
    const docs = patient(a, '9000000092')!.documents;
    expect(docs.map((d) => [d.uniqueId, d.availabilityStatus, d.contentSource ?? 'file'])).toEqual([
      ['2.999.1.1.1.92^2', approved, 'file'],
      ['2.999.1.1.1.92^1', deprecated, 'missing'],
    ]);
    expect(docs.every((d) => typeof d.size === 'number' && typeof d.hash === 'string')).toBe(true);
    expect(patient(b, '9000000092')).toBeUndefined();
  });

  it('generates 300 current documents for 9000000041, deterministically and with distinct creation times', () => {
    const docs = patient(a, '9000000041')!.documents;
    expect(docs).toHaveLength(300);
    expect(docs.every((d) => d.availabilityStatus === approved)).toBe(true);
    expect(new Set(docs.map((d) => d.creationTime)).size).toBe(300);
    expect(new Set(docs.map((d) => d.entryUUID)).size).toBe(300);
    expect(docs[0]).toMatchObject({ uniqueId: '2.999.1.1.1.41.1', creationTime: '20230101090000', content: 'generated-report.pdf' });
    expect(docs[299]).toMatchObject({ uniqueId: '2.999.1.1.1.41.300', entryUUID: 'urn:uuid:9a0f0041-3c5e-4d2b-8e71-00000000012c' });
    expect(loadSandboxSeed('community-a')).toEqual(a);
  });
});

describe('seed validation', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-seed-'));
  const write = (name: string, value: unknown): void => fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(value));
  const raw = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../src/sandbox/seed/community-b.json'), 'utf8')) as { patients: { documents?: Record<string, unknown>[] }[] };

  it('refuses a document missing a required field, naming the path', () => {
    const broken = structuredClone(raw);
    delete broken.patients[0]!.documents![0]!.hash;
    write('broken', broken);
    expect(() => loadSandboxSeed('broken', dir)).toThrow(SandboxDataError);
    expect(() => loadSandboxSeed('broken', dir)).toThrow(/patients\/0\/documents\/0/);
  });

  it('refuses generated content that claims a size, and file content without one', () => {
    const generated = structuredClone(raw);
    generated.patients[0]!.documents![0]!.contentSource = 'generated';
    write('generated', generated);
    expect(() => loadSandboxSeed('generated', dir)).toThrow(/must NOT be valid|must match "then" schema/);
    const sizeless = structuredClone(raw);
    delete sizeless.patients[0]!.documents![0]!.size;
    write('sizeless', sizeless);
    expect(() => loadSandboxSeed('sizeless', dir)).toThrow(/size/);
  });

  it('refuses a repeated entryUUID', () => {
    const twice = structuredClone(raw);
    twice.patients[1]!.documents = [twice.patients[0]!.documents![0]!];
    write('twice', twice);
    expect(() => loadSandboxSeed('twice', dir)).toThrow(/duplicate entryUUID/);
  });

  it('takes a uniqueId as an OID or root^extension (ITI TF-3 4.2.3.2.26), and refuses anything else', () => {
    const withId = (uniqueId: string): string => {
      const copy = structuredClone(raw);
      copy.patients[0]!.documents![0]!.uniqueId = uniqueId;
      write('unique-id', copy);
      return loadSandboxSeed('unique-id', dir).patients[0]!.documents[0]!.uniqueId;
    };
    expect(withId('2.999.1.2.1.1^v2')).toBe('2.999.1.2.1.1^v2');
    expect(withId(`2.${'9'.repeat(62)}^${'x'.repeat(16)}`)).toBe(`2.${'9'.repeat(62)}^${'x'.repeat(16)}`);
    for (const bad of ['2.999.1.2.1.1^', `2.999.1.2.1.1^${'x'.repeat(17)}`, '2.999.1.2.1.1^a^b', 'urn:oid:2.999.1', `2.${'9'.repeat(63)}^x`, '2.999.01']) {
      expect(() => withId(bad)).toThrow(/documents\/0\/uniqueId/);
    }
  });

  it('refuses a file that is not JSON', () => {
    fs.writeFileSync(path.join(dir, 'garbage.json'), '{');
    expect(() => loadSandboxSeed('garbage', dir)).toThrow(SandboxDataError);
  });
});
