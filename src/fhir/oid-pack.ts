/**
 * Lossless, compact packing of a dotted-decimal identifier (an OID or DICOM UID) into base 62, so that two of
 * them and a community key fit in a FHIR id ([A-Za-z0-9\-\.]{1,64}, FHIR R4 2.24.0.1 "id").
 *
 * The string is read as a base-11 number over the alphabet 0-9 and '.', behind a sentinel digit 1 (so leading
 * zeros and a leading '.' survive), and written in base 62 over [0-9A-Za-z]. A 64-character UID packs into at
 * most 38 characters.
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DOT = 10n;
const ELEVEN = 11n;
const SIXTY_TWO = 62n;

/** Dotted decimal with at least two arcs: what a repositoryUniqueId or a DICOM/OID uniqueId looks like. */
const PURE_OID = /^\d+(\.\d+)+$/;

/** True when `value` can be packed: digits and dots only, at least two non-empty arcs. */
export function isPureOid(value: string): boolean {
  return PURE_OID.test(value);
}

/** 11^k for k = 0..15: up to 15 base-11 digits are gathered in a Number (11^15 < 2^53) before one BigInt step. */
const ELEVEN_POWERS: readonly bigint[] = Array.from({ length: 16 }, (_unused, k) => ELEVEN ** BigInt(k));
/** 62^8 < 2^53: eight base-62 digits are taken from one BigInt division. */
const BASE62_CHUNK = SIXTY_TWO ** 8n;

/** Pack a pure OID (see isPureOid) into base 62. Throws on anything else: callers check first. */
export function packOid(oid: string): string {
  if (!isPureOid(oid)) throw new RangeError('packOid needs a pure dotted-decimal identifier');
  let n = 1n;
  for (let i = 0; i < oid.length; i += 15) {
    const end = Math.min(i + 15, oid.length);
    let chunk = 0;
    for (let j = i; j < end; j += 1) {
      const code = oid.charCodeAt(j);
      chunk = chunk * 11 + (code === 46 ? 10 : code - 48); // '.' is the digit 10
    }
    n = n * (ELEVEN_POWERS[end - i] ?? 1n) + BigInt(chunk);
  }
  let out = '';
  while (n > 0n) {
    const rest = n / BASE62_CHUNK;
    let chunk = Number(n - rest * BASE62_CHUNK);
    n = rest;
    let digits = '';
    // Eight digits per chunk, except the most significant one, which is written without leading zeros.
    for (let k = 0; k < 8 && (n > 0n || chunk > 0); k += 1) {
      digits = BASE62.charAt(chunk % 62) + digits;
      chunk = Math.floor(chunk / 62);
    }
    out = digits + out;
  }
  return out;
}

/** Read base 62 back into a number; undefined on a foreign character or a non-canonical leading zero. */
function fromBase62(text: string): bigint | undefined {
  if (text === '' || text.startsWith('0')) return undefined;
  let n = 0n;
  for (const ch of text) {
    const digit = BASE62.indexOf(ch);
    if (digit < 0) return undefined;
    n = n * SIXTY_TWO + BigInt(digit);
  }
  return n;
}

/** Unpack what packOid wrote; undefined when `packed` is not the packing of a pure OID. */
export function unpackOid(packed: string): string | undefined {
  let n = fromBase62(packed);
  if (n === undefined) return undefined;
  const digits: bigint[] = [];
  while (n > 0n) {
    digits.push(n % ELEVEN);
    n /= ELEVEN;
  }
  digits.reverse();
  if (digits.shift() !== 1n) return undefined;
  const oid = digits.map((d) => (d === DOT ? '.' : String(d))).join('');
  return isPureOid(oid) ? oid : undefined;
}
