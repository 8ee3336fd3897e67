import { FacadeError } from '../../errors/facade-error';
import { parseBinaryId } from '../../fhir/ids';
import { KosError, parseKosManifest, type KosManifest } from '../../imaging/kos';
import type { RetrievedDocument } from '../../xca/iti39';
import type { Community } from '../../xca/model';
import { documentKey } from '../seen-documents';
import { retrieveDocument } from '../read-binary';
import { communityOf } from '../read-document-reference';
import type { RequestContext, Services } from '../services';
import { label, transportFailure } from '../upstream-errors';
import { imagingTable } from './imaging-table';

/**
 * The KOS manifest behind an ImagingStudy id, fetched once with ITI-39 (ITI-68 → ITI-39, read-binary.ts) and kept
 * in the cache, parsed, so that opening a study in a viewer (ImagingStudy read, then many DICOMweb requests) costs
 * one retrieve of the manifest. The id IS the manifest's Binary id (community + repository + KOS uniqueId, or the
 * entry id), so any replica can serve a viewer that arrives cold.
 */

/** What a search knew of the manifest's DocumentEntry (RAD TF-3 4.68.4.1.2.3.2). */
export interface ManifestHints {
  /** The NHS number searched: the registry filed the manifest under this patient. */
  readonly nhsNumber: string;
  /** eventCodeList DICOM modality codes (DCM). */
  readonly eventModalities: readonly string[];
}

/** A parsed manifest as cached. */
export interface StoredManifest {
  readonly manifest: KosManifest;
  /** DocumentResponse/HomeCommunityId of the ITI-39 answer: the community RAD-75 asks. */
  readonly homeCommunityId: string;
  /** The repository that served the manifest: RAD-75 RepositoryUniqueId of series without a Retrieve Location UID. */
  readonly repositoryUniqueId: string;
  /** Set when a search found the manifest. */
  readonly found?: ManifestHints;
}

/** Cache namespace of parsed manifests; keys are access context + ImagingStudy id. */
export const MANIFEST_NAMESPACE = 'manifest';

/** The configured community an ImagingStudy id names (400 when the id is not one we issue, 404 when unknown). */
export function manifestCommunity(services: Services, id: string): Community {
  let key: string;
  try {
    key = parseBinaryId(id).communityKey;
  } catch {
    throw new FacadeError('INVALID_RESOURCE_ID', 'The ImagingStudy id is not one this service issued', { expression: 'id' });
  }
  return communityOf(services, key, id);
}

function sameHints(a: ManifestHints | undefined, b: ManifestHints): boolean {
  return a !== undefined && a.nhsNumber === b.nhsNumber && a.eventModalities.join('\u0000') === b.eventModalities.join('\u0000');
}

/**
 * The manifest of `id`, from the cache (single-flight per access context and id) or fetched and parsed.
 * `hints` (the search path) are stored with it. `Cache-Control: no-cache` fetches it again.
 * @throws FacadeError: INVALID_RESOURCE_ID, NO_RECORD_FOUND, UPSTREAM_FAILED (also for an unusable manifest),
 *   UPSTREAM_TIMEOUT.
 */
export async function loadManifest(services: Services, ctx: RequestContext, id: string, hints?: ManifestHints): Promise<StoredManifest> {
  const community = manifestCommunity(services, id);
  const key = documentKey(ctx.accessContext, id);
  const { value } = await services.cache.singleFlight(MANIFEST_NAMESPACE, key, () => fetchManifest(services, ctx, id, community, hints), {
    fresh: ctx.noCache,
    ttlSeconds: services.cacheTtlSeconds,
  });
  if (hints === undefined || sameHints(value.found, hints)) return value;
  // Loaded earlier by a read (or by a coalesced caller): remember what this search knows.
  const updated: StoredManifest = { ...value, found: hints };
  await services.cache.set(MANIFEST_NAMESPACE, key, updated, services.cacheTtlSeconds);
  return updated;
}

async function fetchManifest(services: Services, ctx: RequestContext, id: string, community: Community, hints: ManifestHints | undefined): Promise<StoredManifest> {
  const table = imagingTable();
  const doc = await retrieveDocument(services, ctx, id);
  if (mediaType(doc.mimeType) !== mediaType(table.kosMimeType)) {
    doc.body.destroy();
    throw new FacadeError('UPSTREAM_FAILED', `${label(community)} returned the manifest as ${doc.mimeType || '(no type)'}: an imaging manifest is a DICOM KOS (${table.kosMimeType})`);
  }
  const bytes = await readBounded(doc, table.maxManifestBytes, community);
  let manifest: KosManifest;
  try {
    manifest = parseKosManifest(bytes, { maxBytes: table.maxManifestBytes });
  } catch (err) {
    if (err instanceof KosError) throw new FacadeError('UPSTREAM_FAILED', `${label(community)} returned an unusable imaging manifest: ${err.message}`, { cause: err });
    throw err;
  }
  ctx.logger.info({ community: community.homeCommunityId, series: manifest.series.length }, 'imaging manifest loaded');
  return { manifest, homeCommunityId: doc.homeCommunityId, repositoryUniqueId: doc.repositoryUniqueId, ...(hints === undefined ? {} : { found: hints }) };
}

/** type/subtype, lower case, without parameters. */
function mediaType(value: string): string {
  return (value.split(';')[0] ?? '').trim().toLowerCase();
}

/** The whole manifest, refusing (502) one larger than `maxBytes` without reading further. */
async function readBounded(doc: RetrievedDocument, maxBytes: number, community: Community): Promise<Buffer> {
  const tooLarge = (): FacadeError =>
    new FacadeError('UPSTREAM_FAILED', `${label(community)} returned an unusable imaging manifest: it is larger than the ${maxBytes} bytes this service accepts`);
  if (doc.size !== undefined && doc.size > maxBytes) {
    doc.body.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of doc.body) {
      const buf = chunk as Buffer;
      total += buf.length;
      if (total > maxBytes) {
        doc.body.destroy();
        throw tooLarge();
      }
      chunks.push(buf);
    }
  } catch (err) {
    if (err instanceof FacadeError) throw err;
    throw transportFailure(community, err);
  }
  return Buffer.concat(chunks);
}
