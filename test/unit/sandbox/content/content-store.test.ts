import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SandboxContentStore } from '../../../../src/sandbox/content/content-store';
import { SandboxDataError } from '../../../../src/sandbox/json-table';
import { loadSandboxSeed } from '../../../../src/sandbox/seed';
import type { SandboxDocument, SandboxSeed } from '../../../../src/sandbox/seed-types';

/** Where a document's bytes come from, and how the store refuses a seed whose content is not where it says. */
const [template] = loadSandboxSeed('community-a').patients[0]!.documents as [SandboxDocument];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-store-'));
fs.mkdirSync(path.join(dir, 'content'));
fs.writeFileSync(path.join(dir, 'content', 'here.pdf'), 'bytes');

function seedOf(...docs: Array<Partial<SandboxDocument>>): SandboxSeed {
  return { repositoryUniqueId: '2.999.1.1.1', patients: [{ nhsNumber: '9000000009', documents: docs.map((d, i) => ({ ...template, uniqueId: `2.999.${i}`, ...d })) }] };
}

describe('SandboxContentStore', () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses a seed naming a content file that does not exist, or a "missing" one that does', () => {
    expect(() => new SandboxContentStore(seedOf({ content: 'absent.pdf' }), { dir })).toThrow(SandboxDataError);
    expect(() => new SandboxContentStore(seedOf({ content: 'here.pdf', contentSource: 'missing' }), { dir })).toThrow(/meant to be missing/);
  });

  it('refuses an unusable generated size when the gateway starts', () => {
    expect(() => new SandboxContentStore(seedOf({ content: 'big.pdf', contentSource: 'generated' }), { dir, largeDocumentBytes: 10 })).toThrow(RangeError);
  });

  it('opens files, has nothing for missing content, and describes generated content with its real size and SHA-1', async () => {
    const seed = seedOf({ content: 'here.pdf' }, { content: 'gone.pdf', contentSource: 'missing' }, { content: 'big.pdf', contentSource: 'generated', size: undefined, hash: undefined });
    const store = new SandboxContentStore(seed, { dir, largeDocumentBytes: 5000 });
    const [file, missing, generated] = seed.patients[0]!.documents as [SandboxDocument, SandboxDocument, SandboxDocument];
    const read = async (doc: SandboxDocument): Promise<Buffer> => {
      const chunks: Buffer[] = [];
      for await (const chunk of store.content(doc)!.open()) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    };
    expect((await read(file)).toString()).toBe('bytes');
    expect(await store.describe(file)).toBe(file);
    expect(store.content(missing)).toBeUndefined();
    const bytes = await read(generated);
    expect(await store.describe(generated)).toEqual({ ...generated, size: 5000, hash: createHash('sha1').update(bytes).digest('hex') });
  });
});
