import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * File handling for the demo PKI: atomic writes (a reader never sees half a key) and a directory lock, because the
 * sandbox and the facade may both create the PKI on first start, in one process or two.
 */

/** Private keys: owner read/write only. Certificates are public. */
export const KEY_MODE = 0o600;
export const CERT_MODE = 0o644;

const LOCK_NAME = '.demo-pki.lock';
const LOCK_STALE_MS = 60_000;
const LOCK_WAIT_MS = 120_000;
const LOCK_POLL_MS = 50;

/** The file's text, or undefined when it does not exist. */
export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Write through a temporary file created with `mode`, then rename over the target. */
export async function writeAtomic(file: string, content: string, mode: number): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await fs.open(tmp, 'wx', mode);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.chmod(mode); // open()'s mode is filtered by the umask; the key's mode must be exact
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, file);
}

async function tryLock(lock: string): Promise<boolean> {
  try {
    await fs.mkdir(lock); // atomic on every local file system: exactly one caller succeeds
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const stat = await fs.stat(lock).catch(() => undefined);
    // A lock left behind by a crashed process is broken after a minute (creating the PKI takes seconds).
    if (stat && Date.now() - stat.mtimeMs > LOCK_STALE_MS) await fs.rm(lock, { recursive: true, force: true });
    return false;
  }
}

/** Run `fn` holding an exclusive lock on `dir` (created, mode 0700, when missing). */
export async function withDirLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const lock = path.join(dir, LOCK_NAME);
  const giveUp = Date.now() + LOCK_WAIT_MS;
  while (!(await tryLock(lock))) {
    if (Date.now() > giveUp) throw new Error(`timed out waiting for the demo PKI lock ${lock}`);
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lock, { recursive: true, force: true });
  }
}
