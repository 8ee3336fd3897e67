import { createCipheriv, createDecipheriv } from 'node:crypto';
import { freshRandomBytes } from '../security/random-pool';

/**
 * Entry encryption: bytes (or JSON) → AES-256-GCM (NIST SP 800-38D) with a random 96-bit IV per write and the entry's
 * key name as additional authenticated data, so a value copied or moved to another key fails authentication. Stored
 * as one binary string: version (1 byte) | IV (12) | tag (16) | ciphertext.
 */

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

/** Encrypt `plaintext` for storage under `keyName`. */
export function sealBytes(encryptionKey: Buffer, keyName: string, plaintext: Buffer | string): Buffer {
  const iv = freshRandomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(keyName, 'utf8'));
  const ciphertext = typeof plaintext === 'string' ? cipher.update(plaintext, 'utf8') : cipher.update(plaintext);
  const final = cipher.final();
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ciphertext, final]);
}

/** Decrypt bytes sealed by {@link sealBytes} under `keyName`; undefined when they do not open. Never throws. */
export function openBytes(encryptionKey: Buffer, keyName: string, stored: Buffer): Buffer | undefined {
  if (stored.length <= HEADER_BYTES || stored[0] !== VERSION) return undefined;
  try {
    const iv = stored.subarray(1, 1 + IV_BYTES);
    const tag = stored.subarray(1 + IV_BYTES, HEADER_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', encryptionKey, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(keyName, 'utf8'));
    decipher.setAuthTag(tag);
    const plaintext = decipher.update(stored.subarray(HEADER_BYTES));
    const rest = decipher.final(); // GCM is a stream mode: nothing is held back, but final() checks the tag
    return rest.length === 0 ? plaintext : Buffer.concat([plaintext, rest]);
  } catch {
    return undefined;
  }
}

/** Encrypt `value` (JSON-serialisable) for storage under `keyName`. */
export function sealEntry(encryptionKey: Buffer, keyName: string, value: unknown): Buffer {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('cache values must be JSON-serialisable');
  return sealBytes(encryptionKey, keyName, json);
}

/** The outcome of opening a stored entry: its value, or `invalid` (tampered, moved, wrong key, not ours). */
export type OpenedEntry = { ok: true; value: unknown } | { ok: false };

/** Decrypt and parse an entry read from under `keyName`. Never throws. */
export function openEntry(encryptionKey: Buffer, keyName: string, stored: Buffer): OpenedEntry {
  const bytes = openBytes(encryptionKey, keyName, stored);
  if (bytes === undefined) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}
