import fs from 'node:fs';
import type { AuditEvent } from 'fhir/r4';
import { patientNhsNumberOf } from './audit-entities';
import { rotatedFiles } from './append-log';
import type { AuditRecord } from './types';

/**
 * Reading the audit file back, e.g. for a subject access request ("who looked at my records?"). The file is
 * read as a stream, line by line, so its size does not matter; a line that does not parse (a torn write after a
 * full disk) is skipped. A trail is its rotated files (oldest first, append-log.ts) and then the current file.
 */

function parse(line: string): AuditRecord | undefined {
  try {
    const value = JSON.parse(line) as Partial<AuditRecord>;
    if (typeof value.id !== 'string' || (value.phase !== 'intent' && value.phase !== 'outcome') || value.event?.resourceType !== 'AuditEvent') return undefined;
    return value as AuditRecord;
  } catch {
    return undefined;
  }
}

/**
 * Every well-formed record of the trail `file` (its rotated files, then itself), in the order written. A file
 * rotated while the current one was being read is read after it, so no record is missed; a record may then come
 * twice (search by id).
 */
export async function* readAuditRecords(file: string, lineFilter?: (line: string) => boolean): AsyncGenerator<AuditRecord> {
  const rotated = await rotatedFiles(file);
  for (const part of [...rotated, file]) yield* readOneFile(part, lineFilter);
  for (const late of (await rotatedFiles(file)).filter((f) => !rotated.includes(f))) yield* readOneFile(late, lineFilter);
}

/** Every well-formed record of one file, in file order; nothing when it does not exist (yet, or any more). */
async function* readOneFile(file: string, lineFilter?: (line: string) => boolean): AsyncGenerator<AuditRecord> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    for await (const line of handle.readLines({ encoding: 'utf8' })) {
      if (line === '' || (lineFilter !== undefined && !lineFilter(line))) continue;
      const record = parse(line);
      if (record !== undefined) yield record;
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
}

export interface AuditQuery {
  readonly nhsNumber: string;
  /** Inclusive bounds on when the request was made (period.start, else recorded). */
  readonly from?: Date;
  readonly to?: Date;
}

function whenOf(event: AuditEvent): number {
  return Date.parse(event.period?.start ?? event.recorded);
}

/**
 * The AuditEvents about one patient, one per request in the order requests were made: the outcome record where
 * there is one, else the intent (a request whose outcome was never recorded, e.g. the service died mid-way, still
 * shows who asked).
 */
export async function searchAudit(file: string, query: AuditQuery): Promise<AuditEvent[]> {
  const byId = new Map<string, AuditEvent>();
  // Cheap prefilter: a record about this patient contains the NHS number's digits verbatim.
  for await (const record of readAuditRecords(file, (line) => line.includes(query.nhsNumber))) {
    if (patientNhsNumberOf(record.event.entity) !== query.nhsNumber) continue;
    if (record.phase === 'outcome' || !byId.has(record.id)) byId.set(record.id, record.event);
  }
  const from = query.from?.getTime() ?? -Infinity;
  const to = query.to?.getTime() ?? Infinity;
  return [...byId.values()].filter((event) => whenOf(event) >= from && whenOf(event) <= to);
}
