import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { SandboxDataError, seedDir } from '../json-table';
import type { SandboxDocument, SandboxSeed } from '../seed-types';
import { DicomStore } from './dicom-store';
import { DEFAULT_LARGE_DOCUMENT_BYTES, LargeDocument } from './large-document';

/**
 * Where the bytes of a sandbox gateway's documents come from (the repository side of ITI-39), by the seed's
 * `content` and `contentSource`:
 * - file (default): an entry of the seed's DICOM index (Community B's KOS manifests), else a file in
 *   src/sandbox/seed/content/; every such file must exist when the gateway starts;
 * - generated: computed on the fly (LargeDocument, keyed by the document's uniqueId); its size and hash are
 *   computed once, lazily, when metadata or content is first asked for;
 * - missing: the metadata stands but the bytes are gone, so a retrieve answers XDSDocumentUniqueIdError.
 */
export interface ContentStoreOptions {
  /** Size of every generated document (default 256 MiB). */
  readonly largeDocumentBytes?: number;
  /** Folder of the seed data (default src/sandbox/seed/). */
  readonly dir?: string;
}

/** Bytes a retrieve can send: opened only when the response streams them. */
export interface DocumentContent {
  open(): Readable;
}

export class SandboxContentStore {
  /** The imaging document source of this gateway (RAD-75), when the seed has one. */
  readonly dicom: DicomStore | undefined;
  private readonly dir: string;
  private readonly largeDocumentBytes: number;
  private readonly generated = new Map<string, LargeDocument>();

  /** Throws SandboxDataError when a content file the seed names does not exist (or a missing one does). */
  constructor(seed: SandboxSeed, options: ContentStoreOptions = {}) {
    this.dir = options.dir ?? seedDir();
    this.largeDocumentBytes = options.largeDocumentBytes ?? DEFAULT_LARGE_DOCUMENT_BYTES;
    this.dicom = seed.imaging === undefined ? undefined : new DicomStore(seed.imaging, this.dir);
    for (const doc of seed.patients.flatMap((p) => p.documents)) this.check(doc);
  }

  private check(doc: SandboxDocument): void {
    const source = doc.contentSource ?? 'file';
    if (source === 'generated') {
      this.generator(doc); // throws RangeError now, not at the first request, when the configured size is unusable
      return;
    }
    const exists = fs.existsSync(this.filePath(doc));
    if (source === 'file' && !exists) throw new SandboxDataError(this.filePath(doc), `content of document ${doc.uniqueId} does not exist`);
    if (source === 'missing' && exists) throw new SandboxDataError(this.filePath(doc), `content of document ${doc.uniqueId} is meant to be missing but exists`);
  }

  /** Absolute path of a file-backed document's content: its DICOM index entry, else content/<name>. */
  filePath(doc: SandboxDocument): string {
    const instance = this.dicom?.byFileName(doc.content);
    return instance !== undefined && this.dicom !== undefined ? this.dicom.file(instance) : path.join(this.dir, 'content', doc.content);
  }

  private generator(doc: SandboxDocument): LargeDocument {
    let gen = this.generated.get(doc.uniqueId);
    if (gen === undefined) {
      gen = new LargeDocument(doc.uniqueId, this.largeDocumentBytes);
      this.generated.set(doc.uniqueId, gen);
    }
    return gen;
  }

  /** The document with its size and hash as the registry reports them (computed for generated content). */
  async describe(doc: SandboxDocument): Promise<SandboxDocument> {
    if (doc.contentSource !== 'generated') return doc;
    const { size, sha1 } = await this.generator(doc).digest();
    return { ...doc, size, hash: sha1 };
  }

  /** The document's bytes, or undefined when the repository does not have them. */
  content(doc: SandboxDocument): DocumentContent | undefined {
    const source = doc.contentSource ?? 'file';
    if (source === 'missing') return undefined;
    if (source === 'generated') {
      const gen = this.generator(doc);
      return { open: () => gen.open() };
    }
    const file = this.filePath(doc);
    return fs.existsSync(file) ? { open: () => fs.createReadStream(file) } : undefined;
  }
}
