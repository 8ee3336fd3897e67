import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromRoot } from '../../../src/config/paths';
import { UIDS } from '../../../src/imaging/dicom-dictionary';
import type { DicomInstance } from '../../../src/sandbox/content/dicom-store';

/** The committed sandbox seed DICOM (src/sandbox/seed/dicom) and dcmtk helpers for tests that derive variants. */

export const SEED_DICOM_DIR = fromRoot('src', 'sandbox', 'seed', 'dicom');

/** One entry of the seed's index.json: the sandbox's own description of a seed instance. */
export type SeedDicomEntry = DicomInstance;

export const KOS_SOP_CLASS = UIDS.keyObjectSelectionDocumentStorage;
export const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';

export function seedIndex(): SeedDicomEntry[] {
  return (JSON.parse(fs.readFileSync(path.join(SEED_DICOM_DIR, 'index.json'), 'utf8')) as { files: SeedDicomEntry[] }).files;
}

export function seedKosEntry(): SeedDicomEntry {
  const kos = seedIndex().find((f) => f.sopClassUid === KOS_SOP_CLASS);
  if (!kos) throw new Error('index.json lists no KOS');
  return kos;
}

export function seedImages(): SeedDicomEntry[] {
  return seedIndex().filter((f) => f.sopClassUid !== KOS_SOP_CLASS);
}

export function seedBytes(entry: SeedDicomEntry): Buffer {
  return fs.readFileSync(path.join(SEED_DICOM_DIR, entry.path));
}

export function seedKosBytes(): Buffer {
  return seedBytes(seedKosEntry());
}

/** A fresh temporary folder, removed by the caller's afterAll through `removeTmp`. */
export function makeTmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

export function removeTmp(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Run a dcmtk tool: its stdout and stderr; throws with stderr when it exits non-zero. */
export function dcmtkRun(tool: string, args: readonly string[]): { stdout: string; stderr: string } {
  const run = spawnSync(tool, args, { encoding: 'utf8' });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`${tool} exited ${String(run.status)}: ${run.stderr}`);
  return { stdout: run.stdout, stderr: run.stderr };
}

/** Run a dcmtk tool; returns stdout. */
export function dcmtk(tool: string, args: readonly string[]): string {
  return dcmtkRun(tool, args).stdout;
}

/** A copy of the seed KOS changed by `dcmodify <args>` (no backup file), as bytes. */
export function modifiedKos(tmp: string, name: string, args: readonly string[]): Buffer {
  const file = path.join(tmp, `${name}.dcm`);
  fs.copyFileSync(path.join(SEED_DICOM_DIR, seedKosEntry().path), file);
  dcmtk('dcmodify', ['--no-backup', ...args, file]);
  return fs.readFileSync(file);
}

/** The seed KOS re-encoded by `dcmconv <args>` (another transfer syntax or length encoding), as bytes. */
export function convertedKos(tmp: string, name: string, args: readonly string[]): Buffer {
  const file = path.join(tmp, `${name}.dcm`);
  dcmtk('dcmconv', [...args, path.join(SEED_DICOM_DIR, seedKosEntry().path), file]);
  return fs.readFileSync(file);
}

/** Explicit VR little endian element bytes: tag, VR, length (2 or 4 bytes by VR, PS3.5 7.1.2), value. */
export function element(group: number, elem: number, vr: string, value: Buffer, length = value.length): Buffer {
  const long = ['OB', 'OW', 'OF', 'SQ', 'UT', 'UN', 'UC', 'UR', 'OD', 'OL', 'OV', 'SV', 'UV'].includes(vr);
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(group, 0);
  head.writeUInt16LE(elem, 2);
  head.write(vr, 4, 'latin1');
  if (long) head.writeUInt32LE(length >>> 0, 8);
  else head.writeUInt16LE(length, 6);
  return Buffer.concat([head, value]);
}

/** An item / delimiter header (FFFE,xxxx) with a 4-byte length (PS3.5 7.5). */
export function itemTag(elem: number, length: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt16LE(0xfffe, 0);
  b.writeUInt16LE(elem, 2);
  b.writeUInt32LE(length >>> 0, 4);
  return b;
}

export const UNDEFINED_LENGTH = 0xffffffff;

/** A UI value padded to even length with NUL (PS3.5 6.2). */
export function ui(uid: string): Buffer {
  return Buffer.from(uid.length % 2 === 0 ? uid : `${uid}\0`, 'latin1');
}

/** Preamble, 'DICM' and a minimal file meta information (Transfer Syntax only) before `dataSet`. */
export function part10(dataSet: Buffer, transferSyntax = '1.2.840.10008.1.2.1'): Buffer {
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), element(0x0002, 0x0010, 'UI', ui(transferSyntax)), dataSet]);
}
