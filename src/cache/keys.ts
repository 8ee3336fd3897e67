import { createHmac } from 'node:crypto';

/**
 * Key names. The key material of a search holds the patient's NHS number, so it never appears in a key: the name is
 * `${prefix}${namespace}:${hex(HMAC-SHA256(keySecret, namespace + '\0' + keyMaterial))}`. Without the secret a key
 * cannot be linked to a patient, even by hashing all 10^9 possible NHS numbers (a plain hash could be).
 */

/** Namespaces are the only readable part of a key: short, and free of ':' so key shapes cannot collide. */
const NAMESPACE = /^[A-Za-z0-9_-]{1,64}$/;

/** Throws (a programming error, not a Redis failure) when `namespace` is not a plain identifier. */
export function assertNamespace(namespace: string): void {
  if (!NAMESPACE.test(namespace)) throw new RangeError('cache namespace must match /^[A-Za-z0-9_-]{1,64}$/');
}

function hmacHex(secret: Buffer, label: string, namespace: string, keyMaterial: string): string {
  return createHmac('sha256', secret).update(`${label}${namespace}\0${keyMaterial}`, 'utf8').digest('hex');
}

/** The Redis key of an entry. Deterministic for a given secret, so every replica finds the same entry. */
export function deriveEntryKey(prefix: string, secret: Buffer, namespace: string, keyMaterial: string): string {
  assertNamespace(namespace);
  return `${prefix}${namespace}:${hmacHex(secret, '', namespace, keyMaterial)}`;
}

/**
 * The key of the single-flight lock guarding an entry. A distinct HMAC input ('lock\0' label) rather than a suffix
 * of the entry key, so lock keys have the same opaque shape and cannot be mistaken for entries.
 */
export function deriveLockKey(prefix: string, secret: Buffer, namespace: string, keyMaterial: string): string {
  assertNamespace(namespace);
  return `${prefix}${namespace}:lock:${hmacHex(secret, 'lock\0', namespace, keyMaterial)}`;
}
