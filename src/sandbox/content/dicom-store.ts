import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { readValidatedJson, SandboxDataError } from '../json-table';
import type { SandboxImaging } from '../seed-types';

/**
 * The imaging document source behind a sandbox gateway (RAD-75): the DICOM Part 10 files a seed's `imaging.dicomIndex`
 * lists (src/sandbox/seed/dicom/index.json, written by dicom/generate.sh and validated against
 * schemas/dicom-index.schema.json), found by SOP Instance UID or by file name, and streamed from disk.
 */
export interface DicomInstance {
  /** File name, relative to the index's folder. */
  readonly path: string;
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly seriesUid: string;
  readonly studyUid: string;
  readonly size: number;
  readonly sha1: string;
  readonly sha256: string;
}

interface DicomIndexFile {
  readonly files: readonly DicomInstance[];
}

/** The instances of one index, by SOP Instance UID and by file name. */
export class DicomStore {
  readonly transferSyntaxUid: string;
  readonly mimeType: string;
  private readonly folder: string;
  private readonly byInstance = new Map<string, DicomInstance>();
  private readonly byPath = new Map<string, DicomInstance>();

  /** `seedDir` is the folder `imaging.dicomIndex` is relative to. Throws SandboxDataError for a bad or incomplete index. */
  constructor(imaging: SandboxImaging, seedDir: string) {
    const indexFile = path.join(seedDir, imaging.dicomIndex);
    this.folder = path.dirname(indexFile);
    this.transferSyntaxUid = imaging.transferSyntaxUid;
    this.mimeType = imaging.mimeType;
    for (const instance of readValidatedJson<DicomIndexFile>(indexFile, 'dicom-index').files) {
      if (this.byInstance.has(instance.sopInstanceUid)) throw new SandboxDataError(indexFile, `duplicate SOP Instance UID ${instance.sopInstanceUid}`);
      if (!fs.existsSync(this.file(instance))) throw new SandboxDataError(indexFile, `${instance.path} is listed but does not exist`);
      this.byInstance.set(instance.sopInstanceUid, instance);
      this.byPath.set(instance.path, instance);
    }
  }

  /** The instance with this SOP Instance UID, if held. */
  instance(sopInstanceUid: string): DicomInstance | undefined {
    return this.byInstance.get(sopInstanceUid);
  }

  /** The instance stored under this file name (a seed document's content), if any. */
  byFileName(name: string): DicomInstance | undefined {
    return this.byPath.get(name);
  }

  /** Every instance held, in index order. */
  instances(): DicomInstance[] {
    return [...this.byInstance.values()];
  }

  /** Absolute path of an instance's file. */
  file(instance: DicomInstance): string {
    return path.join(this.folder, instance.path);
  }

  /** The instance's bytes, streamed from disk. */
  open(instance: DicomInstance): Readable {
    return fs.createReadStream(this.file(instance));
  }
}
