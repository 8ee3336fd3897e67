import { FacadeError } from '../../errors/facade-error';
import { TAGS } from '../../imaging/dicom-dictionary';
import { toDicomJsonMetadata, toQidoInstances, toQidoSeries, toQidoStudies, type DicomJsonDataset } from '../../imaging/dicom-json';
import { extractFrames, FrameError, type InstanceFrames } from '../../imaging/frames';
import { applyQidoQuery, QidoQueryError, readQidoQuery, type QidoLevel, type QidoQuery } from '../../imaging/qido';
import { crossGatewayRetrieveImaging, isRad75RegistryError, type RetrievedInstance } from '../../xca/rad75';
import type { Community, RegistryError } from '../../xca/model';
import type { RequestContext, Services } from '../services';
import { callUpstream } from '../upstream';
import { registryFailure, transportFailure } from '../upstream-errors';
import { dicomWebBase } from './dicomweb-base';
import { imagingTable, offeredTransferSyntaxUids } from './imaging-table';
import { loadManifest, manifestCommunity, type StoredManifest } from './manifest';
import { subjectNhsNumber } from './subject';
import { toRad75Request, type WadoTarget } from './select-instances';

/**
 * The DICOMweb door (DICOM PS3.18) of one manifest, Express-free: WADO-RS Retrieve Study / Series / Instance
 * (PS3.18 10.4.1.1.1) as ONE RAD-75 Cross Gateway Retrieve Imaging Document Set (RAD TF-3 4.75), and Retrieve
 * Metadata (PS3.18 10.4.1.1.2) and QIDO-RS Search (PS3.18 10.6) from the manifest alone.
 */

/** A RAD-75 answer whose SOAP part is read: what the HTTP edge needs to decide its headers, then stream. */
export interface WadoRetrieval {
  /** Instances asked for. */
  readonly requested: number;
  /** SOP Instance UIDs asked for that the responder does not return (PartialSuccess). */
  readonly missing: readonly string[];
  /** errorCodes of the responder's RegistryErrors (never codeContext: free text that may quote patient data). */
  readonly errorCodes: readonly string[];
  /** Content-Type of each part (mappings/imaging.json instanceMimeType). */
  readonly partMimeType: string;
  /** The instances, in order, bytes still arriving; errors arrive as FacadeErrors naming the community. */
  readonly instances: AsyncIterable<RetrievedInstance>;
  /** Stop now and release the upstream connection. */
  abort(): void;
}

function codesOf(errors: readonly RegistryError[]): string[] {
  return [...new Set(errors.map((e) => e.errorCode).filter((c) => /^[A-Za-z0-9:._-]{1,64}$/.test(c)))];
}

/** Upstream errors while streaming become FacadeErrors naming the community (only seen before the first part). */
async function* mapped(instances: AsyncIterable<RetrievedInstance>, community: Community): AsyncGenerator<RetrievedInstance> {
  try {
    for await (const instance of instances) yield instance;
  } catch (err) {
    throw transportFailure(community, err);
  }
}

/**
 * WADO-RS retrieve of `target` in manifest `manifestId`.
 * @throws FacadeError before anything is streamed: NO_RECORD_FOUND (not in the manifest, or the responder has none
 *   of the instances), UPSTREAM_FAILED / UPSTREAM_TIMEOUT, and what loading the manifest throws.
 */
export async function retrieveWado(services: Services, ctx: RequestContext, manifestId: string, target: WadoTarget): Promise<WadoRetrieval> {
  const stored = await loadManifest(services, ctx, manifestId);
  const community = manifestCommunity(services, manifestId);
  const table = imagingTable();
  const request = toRad75Request(stored, target, offeredTransferSyntaxUids(table));
  const requested = request.series.reduce((n, s) => n + s.instances.length, 0);
  await ctx.audit.begin(patientOf(services, stored));
  try {
    const retrieval = await callUpstream(services, ctx, community, 'RAD-75', (call) => crossGatewayRetrieveImaging(community, request, call), {
      contactOf: (r) => ({
        outcome: r.missingSopInstanceUids.length > 0 ? 'partial-success' : 'success',
        documentCount: requested - r.missingSopInstanceUids.length,
        ...(r.registryErrors[0] ? { errorCode: r.registryErrors[0].errorCode } : {}),
      }),
    });
    return {
      requested,
      missing: retrieval.missingSopInstanceUids,
      errorCodes: codesOf(retrieval.registryErrors),
      partMimeType: table.instanceMimeType,
      instances: mapped(retrieval.instances, community),
      abort: () => retrieval.abort(),
    };
  } catch (err) {
    if (isRad75RegistryError(err)) throw registryFailure(community, err.errors);
    throw transportFailure(community, err);
  }
}

/** The patient for the audit record, when the manifest (or the search that found it) says. */
function patientOf(services: Services, stored: StoredManifest): string | undefined {
  try {
    return subjectNhsNumber(stored, services.patientAssigningAuthority);
  } catch {
    return undefined;
  }
}

/**
 * WADO-RS Retrieve Metadata of a study, series or instance: DICOM JSON (PS3.18 F.2) built from the manifest
 * (imaging/dicom-json.ts says which attributes). No RAD-75 call.
 * @throws FacadeError NO_RECORD_FOUND when the manifest lists nothing for the target.
 */
export async function wadoMetadata(services: Services, ctx: RequestContext, manifestId: string, target: WadoTarget): Promise<DicomJsonDataset[]> {
  const stored = await loadManifest(services, ctx, manifestId);
  await ctx.audit.begin(patientOf(services, stored));
  const all = toDicomJsonMetadata(stored.manifest, {
    studyUid: target.studyUid,
    ...(target.seriesUid === undefined ? {} : { seriesUid: target.seriesUid }),
    retrieveBaseUrl: dicomWebBase(ctx.baseUrl, manifestId),
  });
  const sopTag = TAGS.SOPInstanceUID.tag;
  const datasets = target.sopInstanceUid === undefined ? all : all.filter((d) => d[sopTag]?.Value?.[0] === target.sopInstanceUid);
  if (datasets.length === 0) throw new FacadeError('NO_RECORD_FOUND', `The imaging manifest lists nothing for ${describe(target)}`);
  return datasets;
}

/** The bytes of one instance, or a FacadeError when they pass `maxBytes` (reading stops there). */
async function readBounded(instance: RetrievedInstance, maxBytes: number, community: Community): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of instance.body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      instance.body.destroy();
      throw new FacadeError('UPSTREAM_FAILED', `Instance ${instance.documentUniqueId} from community '${community.name}' is larger than the ${maxBytes} bytes this service reads to cut frames`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}

/**
 * WADO-RS Retrieve Frames (PS3.18 10.4.1.1.3) of one instance: the instance through one RAD-75 (as a retrieve of it),
 * read into memory up to maxFrameSourceBytes, and the frames `frameNumbers` (1-based) cut from its Pixel Data as
 * stored (imaging/frames.ts).
 * @throws FacadeError: NO_RECORD_FOUND (not in the manifest, not returned, or no such frame), UPSTREAM_FAILED (not
 *   readable DICOM, no pixel data, too large, or frames this service cannot cut), and what retrieveWado throws.
 */
export async function retrieveFrames(services: Services, ctx: RequestContext, manifestId: string, target: Required<WadoTarget>, frameNumbers: readonly number[]): Promise<InstanceFrames> {
  const answer = await retrieveWado(services, ctx, manifestId, target);
  const community = manifestCommunity(services, manifestId);
  try {
    for await (const instance of answer.instances) {
      const bytes = await readBounded(instance, imagingTable().maxFrameSourceBytes, community);
      try {
        return extractFrames(bytes, frameNumbers, imagingTable().maxFrameSourceBytes);
      } catch (err) {
        if (!(err instanceof FrameError)) throw err;
        const code = err.reason === 'no-such-frame' ? 'NO_RECORD_FOUND' : 'UPSTREAM_FAILED';
        throw new FacadeError(code, `Instance ${target.sopInstanceUid}: ${err.message}`);
      }
    }
  } finally {
    answer.abort();
  }
  throw new FacadeError('NO_RECORD_FOUND', `The responding imaging gateway returned no instance ${target.sopInstanceUid}`);
}

/** What a QIDO-RS search names: its level, and the study or series its URL is under. */
export interface QidoScope {
  readonly level: QidoLevel;
  readonly studyUid?: string;
  readonly seriesUid?: string;
}

const DATASETS_OF: Readonly<Record<QidoLevel, typeof toQidoStudies>> = { study: toQidoStudies, series: toQidoSeries, instance: toQidoInstances };

/**
 * QIDO-RS Search for Studies / Series / Instances (PS3.18 10.6) within one manifest: the matching data sets, [] when
 * none match (200 with an empty array, PS3.18 10.6.3.2). No RAD-75 call.
 * @throws FacadeError INVALID_PARAMETER (before anything else) for a parameter the level cannot honour.
 */
export async function qidoSearch(
  services: Services,
  ctx: RequestContext,
  manifestId: string,
  scope: QidoScope,
  params: ReadonlyArray<readonly [string, string]>,
): Promise<DicomJsonDataset[]> {
  // The study and series a search URL is under are matching keys like any other (PS3.18 10.6.1: {study}/series
  // searches the series of that study).
  const under: Array<[string, string]> = [
    ...(scope.studyUid === undefined ? [] : [['StudyInstanceUID', scope.studyUid] as [string, string]]),
    ...(scope.seriesUid === undefined ? [] : [['SeriesInstanceUID', scope.seriesUid] as [string, string]]),
  ];
  let query: QidoQuery;
  try {
    query = readQidoQuery(scope.level, [...params, ...under]);
  } catch (err) {
    if (err instanceof QidoQueryError) throw new FacadeError('INVALID_PARAMETER', err.message, { expression: err.parameter });
    throw err;
  }
  const stored = await loadManifest(services, ctx, manifestId);
  await ctx.audit.begin(patientOf(services, stored));
  return applyQidoQuery(DATASETS_OF[scope.level](stored.manifest, dicomWebBase(ctx.baseUrl, manifestId)), query);
}

function describe(target: WadoTarget): string {
  return [`study ${target.studyUid}`, target.seriesUid && `series ${target.seriesUid}`, target.sopInstanceUid && `instance ${target.sopInstanceUid}`].filter(Boolean).join(', ');
}
