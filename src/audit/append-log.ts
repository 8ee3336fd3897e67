import fs from 'node:fs';
import path from 'node:path';
import { AuditUnavailableError } from './errors';

/**
 * An append-only, fsync'd JSON-lines file: the durable half of the audit trail.
 * - Opened with O_APPEND (every write lands at the end, whatever else appends) and O_CREAT, mode 0600.
 * - One writer per process: appends are queued and written in order by a single loop, so lines never interleave.
 *   Whatever is queued while a write is under way goes out together in the next single write() and is covered by
 *   one fsync (group commit): 100 concurrent records cost a handful of fsyncs, not 100.
 * - A promise resolves only after fsync returned, so a record acknowledged to the caller survives a process
 *   crash and (with honest disks) a power cut. A new file's directory is fsync'd too, so the file itself exists.
 *   A `deferred` record is written at once but shares the next sync (at most DEFERRED_SYNC_MS later).
 * - A failed write rejects every record of its batch with AuditUnavailableError; the handle is reopened next time
 *   and the next batch starts on a fresh line, so a torn line (a full disk, or a previous process killed
 *   mid-write: checked when the file is opened) stays one unreadable line that readers skip, instead of
 *   corrupting the record after it.
 * - Rotation (optional, `rotateBytes`): once the file has reached that size, the writer renames it, between two
 *   batches, to `<file>.<UTC time>` (see {@link rotatedFiles}) and starts a new one; the directory is fsync'd so the
 *   rename survives a crash. A line is never split across files, and readers (search-audit.ts) read the rotated files
 *   oldest first, then the current one. Removing or archiving rotated files is the operator's decision (retention).
 */

export interface AppendLog {
  /** Open (and create) the file now; rejects with AuditUnavailableError when it cannot be. */
  open(): Promise<void>;
  /**
   * Append one line (no newline inside); resolves once it is on disk. `deferred`: the line is written at once but
   * its sync may wait up to {@link DEFERRED_SYNC_MS} to share the next one (for records nobody waits on, such as a
   * request's outcome written after its answer went out).
   */
  append(line: string, durability?: Durability): Promise<void>;
  close(): Promise<void>;
}

/** `sync`: the promise waits for a sync of its own batch; `deferred`: it may ride on a later sync. */
export type Durability = 'sync' | 'deferred';

/**
 * Longest a deferred record stays written but not synced. Under load every request writes an intent (waited on)
 * and an outcome (not waited on); syncing each outcome on its own doubled the syncs and made the next intent queue
 * behind them.
 */
export const DEFERRED_SYNC_MS = 25;

interface Pending {
  readonly urgent: boolean;
  readonly line: Buffer;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

const FLAGS = fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT;

async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.promises.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** True when a regular file ends without a newline: a previous process died mid-line. */
async function endsTorn(file: string): Promise<boolean> {
  const reader = await fs.promises.open(file, 'r');
  try {
    const stat = await reader.stat();
    if (!stat.isFile() || stat.size === 0) return false;
    const { size } = stat;
    const { buffer } = await reader.read(Buffer.alloc(1), 0, 1, size - 1);
    return buffer[0] !== 0x0a;
  } finally {
    await reader.close();
  }
}

/*
 * The hot path uses fs's callback API on the handle's descriptor: FileHandle's promise methods cost about twice the
 * CPU per call, and every request writes two records (measured: ~80 -> ~40 µs of CPU per record).
 */
function writeSome(fd: number, buffer: Buffer, offset: number): Promise<number> {
  return new Promise((resolve, reject) => {
    fs.write(fd, buffer, offset, buffer.length - offset, null, (err, written) => (err ? reject(err) : resolve(written)));
  });
}

async function writeAll(fd: number, buffer: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) offset += await writeSome(fd, buffer, offset);
}

/** fdatasync: the appended bytes and the file size that makes them readable (what an append needs), like a WAL. */
function dataSync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.fdatasync(fd, (err) => (err ? reject(err) : resolve()));
  });
}

function unavailable(err: unknown): AuditUnavailableError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return new AuditUnavailableError(`The audit trail cannot be written${code === undefined ? '' : ` (${code})`}`, { cause: err });
}

export interface AppendLogOptions {
  /** Start a new file once the current one holds at least this many bytes; default: never. */
  readonly rotateBytes?: number;
}

/** `<file>.<UTC time>` with a basic ISO 8601 time to the millisecond: names sort in the order files were rotated. */
function rotatedName(file: string, at: Date): string {
  return `${file}.${at.toISOString().replace(/[-:]/g, '').replace('.', '')}`;
}

const ROTATED_SUFFIX = /^\.\d{8}T\d{9}Z(-\d+)?$/;

/** The rotated files of `file`, oldest first (absolute paths); none when there are none or no directory. */
export async function rotatedFiles(file: string): Promise<string[]> {
  const dir = path.dirname(path.resolve(file));
  const base = path.basename(file);
  const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
  return names
    .filter((n) => n.startsWith(base) && ROTATED_SUFFIX.test(n.slice(base.length)))
    .sort()
    .map((n) => path.join(dir, n));
}

/** Create the writer for `file` (nothing is opened until the first open() or append()). */
export function createAppendLog(file: string, options: AppendLogOptions = {}): AppendLog {
  const rotateBytes = options.rotateBytes ?? Infinity;
  /** Bytes in the open file (its size when opened, plus what this writer appended). */
  let size = 0;
  let handle: fs.promises.FileHandle | undefined;
  let queue: Pending[] = [];
  /** Deferred records written and not yet synced (resolved by the next sync). */
  let unsynced: Pending[] = [];
  let syncDue = false;
  let syncTimer: NodeJS.Timeout | undefined;
  let flushing = false;
  let tornLine = false;

  async function ensureOpen(): Promise<fs.promises.FileHandle> {
    if (handle !== undefined) return handle;
    const existed = fs.existsSync(file);
    handle = await fs.promises.open(file, FLAGS, 0o600);
    size = (await handle.stat()).size;
    if (!existed) await syncDirectory(path.dirname(path.resolve(file)));
    else if (await endsTorn(file)) tornLine = true;
    return handle;
  }

  async function drop(): Promise<void> {
    const old = handle;
    handle = undefined;
    await old?.close().catch(() => undefined);
  }

  async function writeBatch(batch: readonly Pending[]): Promise<number> {
    const target = await ensureOpen();
    if (batch.length === 0) return target.fd;
    const lines = batch.map((pending) => pending.line);
    try {
      const bytes = lines.length === 1 && !tornLine ? (lines[0] as Buffer) : Buffer.concat(tornLine ? [Buffer.from('\n'), ...lines] : lines);
      await writeAll(target.fd, bytes);
      size += bytes.length;
      tornLine = false;
    } catch (err) {
      tornLine = true;
      throw err;
    }
    return target.fd;
  }

  function armSyncTimer(): void {
    if (syncTimer !== undefined) return;
    syncTimer = setTimeout(() => {
      syncTimer = undefined;
      syncDue = true;
      void flush();
    }, DEFERRED_SYNC_MS);
  }

  /**
   * Between batches, with everything written so far synced: rename a full file out of the way. A failed rename
   * leaves the file in place (it is tried again after the next batch): rotation never refuses a record.
   */
  async function rotateIfFull(): Promise<void> {
    if (handle === undefined || size < rotateBytes || unsynced.length > 0) return;
    const name = rotatedName(file, new Date());
    let target = name;
    for (let n = 1; fs.existsSync(target); n += 1) target = `${name}-${n}`;
    try {
      await fs.promises.rename(file, target);
    } catch {
      return;
    }
    await drop();
    await syncDirectory(path.dirname(path.resolve(file))).catch(() => undefined);
  }

  async function flush(): Promise<void> {
    if (flushing) return;
    flushing = true;
    try {
      while (queue.length > 0 || (syncDue && unsynced.length > 0)) {
        await rotateIfFull();
        const batch = queue;
        queue = [];
        try {
          const fd = await writeBatch(batch);
          if (syncDue || batch.some((pending) => pending.urgent)) {
            syncDue = false;
            const covered = unsynced.concat(batch);
            unsynced = [];
            await dataSync(fd);
            for (const pending of covered) pending.resolve();
          } else {
            unsynced.push(...batch);
            armSyncTimer();
          }
        } catch (err) {
          await drop();
          const failure = unavailable(err);
          const failed = unsynced.concat(batch);
          unsynced = [];
          for (const pending of failed) pending.reject(failure);
        }
      }
      if (unsynced.length === 0 && syncTimer !== undefined) {
        clearTimeout(syncTimer);
        syncTimer = undefined;
      }
    } finally {
      flushing = false;
    }
  }

  return {
    async open() {
      try {
        await ensureOpen();
      } catch (err) {
        await drop();
        throw unavailable(err);
      }
    },
    append(line: string, durability: Durability = 'sync'): Promise<void> {
      if (line.includes('\n')) return Promise.reject(new TypeError('an audit line must not contain a newline'));
      return new Promise<void>((resolve, reject) => {
        queue.push({ urgent: durability === 'sync', line: Buffer.from(`${line}\n`, 'utf8'), resolve, reject });
        void flush();
      });
    },
    async close() {
      while (flushing || queue.length > 0 || unsynced.length > 0) {
        if (!flushing) {
          syncDue = true; // nothing written stays unsynced past close
          void flush();
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (syncTimer !== undefined) clearTimeout(syncTimer);
      syncTimer = undefined;
      await drop();
    },
  };
}
