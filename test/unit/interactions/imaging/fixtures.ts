import { parseKosManifest, type KosManifest } from '../../../../src/imaging/kos';
import type { ManifestHints, StoredManifest } from '../../../../src/interactions/imaging/manifest';
import { seedKosBytes } from '../../imaging/dicom-fixtures';

/** The sandbox seed KOS (9000000009's CT study), parsed, as the manifest store keeps it. */
export function seedManifest(): KosManifest {
  return parseKosManifest(seedKosBytes());
}

export const SEED_HOME = 'urn:oid:2.999.1.2';
export const SEED_REPOSITORY = '2.999.1.2.1';

/** A StoredManifest around `manifest` (default: the seed). */
export function stored(manifest: KosManifest = seedManifest(), found?: ManifestHints): StoredManifest {
  return { manifest, homeCommunityId: SEED_HOME, repositoryUniqueId: SEED_REPOSITORY, ...(found === undefined ? {} : { found }) };
}
