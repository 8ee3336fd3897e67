import { createHash } from 'node:crypto';
import { FacadeError } from '../errors/facade-error';
import { isPureOid, packOid, unpackOid } from './oid-pack';

/**
 * Resource ids that carry what a later read needs, so no state is kept between a search and a read
 * (FHIR R4 2.24.0.1: id is [A-Za-z0-9\-\.]{1,64}).
 *
 * DocumentReference: `<communityKey>-<32 hex of the entryUUID>`; `<communityKey>-u<32 hex>` for a bare UUID sent
 * without `urn:uuid:`; `<communityKey>-x<hex of the UTF-8 bytes>` for an entryUUID that is not a UUID. Binary: `<communityKey>.<packed repositoryUniqueId>.<packed uniqueId>`
 * when both are pure OIDs and it fits; otherwise the DocumentReference id, which retrieve resolves with a
 * GetDocuments stored query (ITI TF-2 3.18.4.1.2.3.7.5) before ITI-39.
 */

const MAX_ID = 64;
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const KEY = '[0-9a-f]{8}';
const UUID = '([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})';
const ENTRY_UUID = new RegExp(`^urn:uuid:${UUID}$`, 'i');
/** A bare UUID without the urn:uuid: prefix: not conformant (ebRIM ids are URNs) but sent by real responders. */
const BARE_UUID = new RegExp(`^${UUID}$`, 'i');
const UUID_ID = new RegExp(`^(${KEY})-([0-9a-f]{32})$`);
const BARE_UUID_ID = new RegExp(`^(${KEY})-u([0-9a-f]{32})$`);
const HEX_ID = new RegExp(`^(${KEY})-x((?:[0-9a-f]{2})+)$`);
const DIRECT_BINARY_ID = new RegExp(`^(${KEY})\\.([0-9A-Za-z]+)\\.([0-9A-Za-z]+)$`);

/** What a DocumentReference id routes to. */
export interface DocumentReferenceIdParts {
  readonly communityKey: string;
  readonly entryUUID: string;
}

/** What a Binary id routes to: the document itself, or the entry to look up first. */
export type BinaryIdParts =
  | { readonly kind: 'direct'; readonly communityKey: string; readonly repositoryUniqueId: string; readonly documentUniqueId: string }
  | { readonly kind: 'entry'; readonly communityKey: string; readonly entryUUID: string };

/** 8 lowercase hex characters of SHA-256(homeCommunityId): short, stable, and checked for clashes by config. */
export function communityKey(homeCommunityId: string): string {
  return createHash('sha256').update(homeCommunityId, 'utf8').digest('hex').slice(0, 8);
}

/**
 * The DocumentReference id of an entry. A UUID keeps its 32 hex digits (lowercased: RFC 4122 section 3 makes
 * UUID hex case-insensitive on input), marked `u` when it came without `urn:uuid:` so a read sends it back as it
 * was; anything else is hex-encoded behind `x`. Undefined when the result would exceed 64 characters.
 */
export function documentReferenceId(key: string, entryUUID: string): string | undefined {
  const urn = ENTRY_UUID.exec(entryUUID);
  const bare = urn ? null : BARE_UUID.exec(entryUUID);
  const id = urn
    ? `${key}-${urn.slice(1).join('').toLowerCase()}`
    : bare
      ? `${key}-u${bare.slice(1).join('').toLowerCase()}`
      : `${key}-x${Buffer.from(entryUUID, 'utf8').toString('hex')}`;
  return entryUUID !== '' && id.length <= MAX_ID && FHIR_ID.test(id) ? id : undefined;
}

function dashed(h: string): string {
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function invalid(what: string): FacadeError {
  return new FacadeError('INVALID_RESOURCE_ID', `The ${what} id is not one this service issued`, { expression: 'id' });
}

/** Read a DocumentReference id back. Throws FacadeError INVALID_RESOURCE_ID when it is not one we issue. */
export function parseDocumentReferenceId(id: string): DocumentReferenceIdParts {
  const uuid = UUID_ID.exec(id);
  if (uuid?.[1] !== undefined && uuid[2] !== undefined) return { communityKey: uuid[1], entryUUID: `urn:uuid:${dashed(uuid[2])}` };
  const bare = BARE_UUID_ID.exec(id);
  if (bare?.[1] !== undefined && bare[2] !== undefined) return { communityKey: bare[1], entryUUID: dashed(bare[2]) };
  const hex = HEX_ID.exec(id);
  if (hex?.[1] !== undefined && hex[2] !== undefined && id.length <= MAX_ID) {
    const entryUUID = Buffer.from(hex[2], 'hex').toString('utf8');
    // Reject bytes that are not valid UTF-8 (they would not re-encode to the same id) and UUIDs in hex form.
    if (documentReferenceId(hex[1], entryUUID) === id) return { communityKey: hex[1], entryUUID };
  }
  throw invalid('DocumentReference');
}

/** The last repositoryUniqueId packed: the documents of one answer mostly come from one or two repositories. */
let lastRepository = '';
let lastRepositoryPacked = '';

function packedRepository(repositoryUniqueId: string): string {
  if (repositoryUniqueId !== lastRepository) {
    lastRepositoryPacked = packOid(repositoryUniqueId);
    lastRepository = repositoryUniqueId;
  }
  return lastRepositoryPacked;
}

/**
 * The Binary id of a document: direct when both ids are pure OIDs and the packed form fits in 64 characters,
 * else undefined (the caller then uses the DocumentReference id).
 */
export function binaryId(parts: { communityKey: string; repositoryUniqueId: string; documentUniqueId: string }): string | undefined {
  if (!isPureOid(parts.repositoryUniqueId) || !isPureOid(parts.documentUniqueId)) return undefined;
  const id = `${parts.communityKey}.${packedRepository(parts.repositoryUniqueId)}.${packOid(parts.documentUniqueId)}`;
  return id.length <= MAX_ID && FHIR_ID.test(id) ? id : undefined;
}

/** Read a Binary id back (either form). Throws FacadeError INVALID_RESOURCE_ID when it is not one we issue. */
export function parseBinaryId(id: string): BinaryIdParts {
  if (!FHIR_ID.test(id)) throw invalid('Binary');
  const direct = DIRECT_BINARY_ID.exec(id);
  if (direct?.[1] !== undefined && direct[2] !== undefined && direct[3] !== undefined) {
    const repositoryUniqueId = unpackOid(direct[2]);
    const documentUniqueId = unpackOid(direct[3]);
    if (repositoryUniqueId === undefined || documentUniqueId === undefined) throw invalid('Binary');
    return { kind: 'direct', communityKey: direct[1], repositoryUniqueId, documentUniqueId };
  }
  try {
    return { kind: 'entry', ...parseDocumentReferenceId(id) };
  } catch {
    throw invalid('Binary');
  }
}
