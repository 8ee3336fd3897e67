import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import { freshRandomBytes } from '../security/random-pool';
import { CacheConfigError, CursorError } from './errors';

/**
 * Paging cursors. FHIR paging links are opaque to the client (FHIR R4 §3.1.1.5 "Paging"), so the state they carry
 * (which cached search, which offset) is sealed: AES-256-GCM under a key derived (HKDF-SHA256, RFC 5869) from the
 * service secret, base64url-encoded. A client can neither read the payload (it may identify a patient's search) nor
 * alter it: any change fails the GCM tag and is refused as `forged`.
 *
 * Token bytes: version (1) | IV (12) | tag (16) | ciphertext of the JSON payload.
 */

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;
/** Longest token accepted (characters): a cursor is small; this stops oversized input before any work. */
const MAX_TOKEN_CHARS = 16_384;
/** Bound into every token, so a value sealed by another component with the same secret does not open here. */
const AAD = Buffer.from('mhd-xca-facade cursor v1', 'utf8');
const MIN_SECRET_LENGTH = 32;

/** The key derived last: a service has one secret, so each seal and open need not run HKDF again. */
let derived: { secret: string; key: Buffer } | undefined;

/** Secret → AES key; a separate key from the cache's HMAC key even when both come from the same secret. */
function cursorKey(secret: string): Buffer {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new CacheConfigError('cursorSecret', `must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  if (derived?.secret !== secret) {
    derived = { secret, key: Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), 'mxf-cursor-salt', 'mxf-cursor-aes-256-gcm', 32)) };
  }
  return derived.key;
}

/**
 * Seal `payload` (a JSON-serialisable object) into an opaque URL-safe token ([A-Za-z0-9_-]+).
 * Each call gives a different token (random IV) for the same payload.
 */
export function sealCursor(payload: object, secret: string): string {
  const iv = freshRandomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', cursorKey(secret), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(AAD);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ciphertext]).toString('base64url');
}

function decodeToken(token: unknown): Buffer {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/.test(token)) {
    throw new CursorError('malformed');
  }
  const bytes = Buffer.from(token, 'base64url');
  // Round trip so that trailing bits or odd lengths that base64url would silently drop are refused.
  if (bytes.length <= HEADER_BYTES || bytes.toString('base64url') !== token || bytes[0] !== VERSION) {
    throw new CursorError('malformed');
  }
  return bytes;
}

/**
 * Open a token made by {@link sealCursor} with the same secret. Throws `CursorError('malformed')` for anything that
 * is not a token of ours in shape, `CursorError('forged')` when it fails authentication (altered, or another
 * secret). The payload is authentic but its shape is the caller's to check (the type parameter is not verified).
 */
export function openCursor<T extends object = Record<string, unknown>>(token: string, secret: string): T {
  const key = cursorKey(secret);
  const bytes = decodeToken(token);
  let json: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(1, 1 + IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(AAD);
    decipher.setAuthTag(bytes.subarray(1 + IV_BYTES, HEADER_BYTES));
    json = Buffer.concat([decipher.update(bytes.subarray(HEADER_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new CursorError('forged');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(json);
  } catch {
    throw new CursorError('malformed');
  }
  if (typeof payload !== 'object' || payload === null) throw new CursorError('malformed');
  return payload as T;
}
