import { FacadeError } from '../../errors/facade-error';
import type { KosSeries } from '../../imaging/kos-model';
import type { Rad75Request, Rad75Series } from '../../xca/rad75';
import type { StoredManifest } from './manifest';

/** What a WADO-RS retrieve names (PS3.18 10.4.1: study, series or instance resource). */
export interface WadoTarget {
  readonly studyUid: string;
  readonly seriesUid?: string;
  readonly sopInstanceUid?: string;
}

/** The series of the manifest a target covers (instances not yet narrowed). */
export function targetSeries(stored: StoredManifest, target: WadoTarget): KosSeries[] {
  return stored.manifest.series.filter((s) => s.studyUid === target.studyUid && (target.seriesUid === undefined || s.seriesUid === target.seriesUid));
}

function notInManifest(target: WadoTarget): FacadeError {
  const what =
    target.sopInstanceUid !== undefined
      ? `instance ${target.sopInstanceUid} of series ${target.seriesUid ?? ''}`
      : target.seriesUid !== undefined
        ? `series ${target.seriesUid}`
        : `study ${target.studyUid}`;
  return new FacadeError('NO_RECORD_FOUND', `The imaging manifest lists no ${what} in study ${target.studyUid}`);
}

/**
 * The one RAD-75 request (RAD TF-3 4.75.4.1.2) a WADO-RS retrieve becomes: the instances the manifest lists for
 * the target, asked of the manifest's community, each from its series' Retrieve Location UID (0040,E011; RAD TF-3
 * 4.68.4.1.2.1) or, when the manifest gives none, from the repository that served the manifest.
 * @throws FacadeError NO_RECORD_FOUND when the manifest lists nothing for the target (404: never asked upstream).
 */
export function toRad75Request(stored: StoredManifest, target: WadoTarget, transferSyntaxUids: readonly string[]): Rad75Request {
  const series: Rad75Series[] = targetSeries(stored, target).flatMap((s) => {
    const repositoryUniqueId = s.retrieveLocationUid ?? stored.repositoryUniqueId;
    const instances = s.instances
      .filter((i) => target.sopInstanceUid === undefined || i.sopInstanceUid === target.sopInstanceUid)
      .map((i) => ({ sopInstanceUid: i.sopInstanceUid, repositoryUniqueId }));
    return instances.length === 0 ? [] : [{ seriesInstanceUid: s.seriesUid, instances }];
  });
  if (series.length === 0) throw notInManifest(target);
  return { homeCommunityId: stored.homeCommunityId, studyInstanceUid: target.studyUid, series, transferSyntaxUids: [...transferSyntaxUids] };
}
