import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { FacadeError } from '../errors/facade-error';
import { qidoSearch, retrieveFrames, retrieveWado, wadoMetadata, type QidoScope, type WadoRetrieval } from '../interactions/imaging/dicomweb';
import { findImagingStudies } from '../interactions/imaging/find-imaging-studies';
import { readImagingStudy } from '../interactions/imaging/read-imaging-study';
import type { WadoTarget } from '../interactions/imaging/select-instances';
import { acceptedFrameSyntaxes, DICOM_JSON, FRAME_MEDIA_TYPE, requireDicomJson, requireDicomMultipart, requireFrameSyntax } from '../interactions/imaging/wado-accept';
import { imagingTable } from '../interactions/imaging/imaging-table';
import type { Services } from '../interactions/services';
import { isLenient, requestContext, searchParamsOf } from './fhir-request';
import { sendResource } from './respond';

/**
 * Imaging routes (IHE MADO / XCA-I): FHIR ImagingStudy read and search under /fhir, and the DICOMweb (WADO-RS) door
 * under /dicomweb/{manifestId}. Adapters only: every handler builds the request context (whose accessContext keys
 * every cache entry) and calls an interaction, so an access middleware can be put in front of either router.
 */

type Handler = (req: Request, res: Response) => Promise<void>;

/** Express 5 passes rejected promises to the error handler; this keeps handlers typed. */
function route(handler: Handler) {
  return (req: Request, res: Response, next: NextFunction): void => {
    handler(req, res).catch(next);
  };
}

/** GET /ImagingStudy (search) and GET /ImagingStudy/{id} (read) on the /fhir router. */
export function imagingFhirRoutes(
  router: Router,
  services: Services,
  options: { publicBaseUrl: string | undefined; fhirJson: (req: Request, res: Response, next: NextFunction) => void },
): void {
  router.get(
    '/ImagingStudy',
    options.fhirJson,
    route(async (req, res) => {
      const ctx = requestContext(req, res, options.publicBaseUrl, services.logger, services.requestDeadlineMs);
      sendResource(res, 200, await findImagingStudies(services, ctx, searchParamsOf(req), { lenient: isLenient(req) }));
    }),
  );
  router.get(
    '/ImagingStudy/:id',
    options.fhirJson,
    route(async (req, res) => {
      const ctx = requestContext(req, res, options.publicBaseUrl, services.logger, services.requestDeadlineMs);
      sendResource(res, 200, await readImagingStudy(services, ctx, String(req.params.id)));
    }),
  );
}

function targetOf(req: Request): WadoTarget {
  const { study, series, instance } = req.params as Record<string, string | undefined>;
  return { studyUid: study ?? '', ...(series === undefined ? {} : { seriesUid: series }), ...(instance === undefined ? {} : { sopInstanceUid: instance }) };
}

/** The instance a …/instances/{instance}/… route names (its study and series come with it). */
function instanceTargetOf(req: Request): Required<WadoTarget> {
  const target = targetOf(req);
  return { studyUid: target.studyUid, seriesUid: target.seriesUid ?? '', sopInstanceUid: target.sopInstanceUid ?? '' };
}

/** Express answers HEAD with the GET handler: for a retrieve that would pull instances through RAD-75 for nothing. */
function refuseHead(req: Request): void {
  if (req.method === 'HEAD') throw new FacadeError('METHOD_NOT_ALLOWED', 'HEAD is not supported on WADO-RS retrieve: use GET');
}

/** Most frames one Retrieve Frames request may name. */
const MAX_FRAMES_PER_REQUEST = 1000;

/** The {frameList} of a Retrieve Frames URL (PS3.18 10.4.1.1.3): 1-based frame numbers, comma separated. */
function frameNumbersOf(list: string): number[] {
  const items = list.split(',');
  if (items.length > MAX_FRAMES_PER_REQUEST || !items.every((n) => /^[1-9]\d{0,8}$/.test(n.trim()))) {
    throw new FacadeError('INVALID_PARAMETER', `The frame list must be 1 to ${MAX_FRAMES_PER_REQUEST} frame numbers (1-based), comma separated`, { expression: 'frames' });
  }
  return items.map((n) => Number(n));
}

/** The frames as one multipart/related answer, each part in the instance's own transfer syntax. */
function sendFrames(res: Response, transferSyntaxUid: string, frames: readonly Uint8Array[]): void {
  const boundary = randomBytes(18).toString('hex');
  const head = `--${boundary}\r\nContent-Type: ${FRAME_MEDIA_TYPE}; transfer-syntax=${transferSyntaxUid}\r\n\r\n`;
  const body = Buffer.concat([...frames.flatMap((frame, i) => [Buffer.from(i === 0 ? head : `\r\n${head}`, 'latin1'), frame]), Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1')]);
  res.status(200).set('Content-Type', `multipart/related; type="${FRAME_MEDIA_TYPE}"; boundary=${boundary}`).end(body);
}

/** PS3.18 8.10.3 Warning header: how many instances the responder did not return (RAD-75 PartialSuccess). */
function partialWarning(answer: WadoRetrieval): string {
  const why = answer.errorCodes.length > 0 ? `; the responding gateway reported ${answer.errorCodes.join(', ')}` : '';
  return `299 - "${answer.missing.length} of ${answer.requested} requested instances could not be retrieved${why}"`;
}

/** Resolves when `res` can take more bytes; rejects when the client has gone. */
function drained(res: Response): Promise<void> {
  if (res.destroyed) return Promise.reject(new Error('the client closed the connection'));
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      res.off('drain', onDrain);
      res.off('close', onClose);
    };
    const onDrain = (): void => {
      cleanup();
      resolve();
    };
    const onClose = (): void => {
      cleanup();
      reject(new Error('the client closed the connection'));
    };
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

/**
 * One instance's bytes into the open response, with back-pressure: the next chunk is read only when the socket
 * takes it, so no instance is held in memory. (stream.pipeline with end:false leaves listeners on the response,
 * one set per instance.) Leaving the loop early destroys `body`, which stops the RAD-75 retrieval.
 */
async function copyInto(body: Readable, res: Response): Promise<void> {
  for await (const chunk of body) {
    if (!res.write(chunk as Buffer)) await drained(res);
  }
}

/**
 * Stream the instances as multipart/related (PS3.18 8.7.3.5.2, RFC 2387), one part per instance, each piped as it
 * arrives. The status is decided from RAD-75's SOAP part before the first byte: 200, or 206 with a Warning when
 * some instances are missing (PS3.18 10.4.3). An upstream break after that destroys the connection: a client
 * never sees a clean multipart that is short.
 */
async function sendInstances(res: Response, answer: WadoRetrieval): Promise<void> {
  const boundary = randomBytes(18).toString('hex');
  const partHead = `--${boundary}\r\nContent-Type: ${answer.partMimeType}\r\n\r\n`;
  let parts = 0;
  try {
    for await (const instance of answer.instances) {
      if (parts === 0) {
        res.status(answer.missing.length > 0 ? 206 : 200);
        res.set('Content-Type', `multipart/related; type="${answer.partMimeType}"; boundary=${boundary}`);
        if (answer.missing.length > 0) res.set('Warning', partialWarning(answer));
      }
      res.write(parts === 0 ? partHead : `\r\n${partHead}`);
      await copyInto(instance.body, res);
      parts += 1;
    }
    if (parts === 0) throw new FacadeError('UPSTREAM_FAILED', 'The responding imaging gateway returned no instance');
    res.end(`\r\n--${boundary}--\r\n`);
  } catch (err) {
    answer.abort();
    if (!res.headersSent) throw err;
    res.destroy(err instanceof Error ? err : undefined);
  }
}

/** The DICOMweb router mounted at /dicomweb: WADO-RS retrieve and metadata of one manifest's study. */
export function dicomWebRouter(services: Services, options: { publicBaseUrl: string | undefined }): Router {
  const router = express.Router();
  const retrieve = route(async (req, res) => {
    refuseHead(req);
    requireDicomMultipart(req.get('Accept'), imagingTable().instanceMimeType);
    const ctx = requestContext(req, res, options.publicBaseUrl, services.logger, services.requestDeadlineMs);
    await sendInstances(res, await retrieveWado(services, ctx, String(req.params.manifestId), targetOf(req)));
  });
  const metadata = route(async (req, res) => {
    requireDicomJson(req.get('Accept'));
    const ctx = requestContext(req, res, options.publicBaseUrl, services.logger, services.requestDeadlineMs);
    const datasets = await wadoMetadata(services, ctx, String(req.params.manifestId), targetOf(req));
    res.status(200).type(`${DICOM_JSON}; charset=utf-8`).send(JSON.stringify(datasets));
  });
  const study = '/:manifestId/studies/:study';
  const series = `${study}/series/:series`;
  const instance = `${series}/instances/:instance`;
  for (const path of [study, series, instance]) {
    router.get(path, retrieve);
    router.get(`${path}/metadata`, metadata);
  }
  router.get(
    `${instance}/frames/:frames`,
    route(async (req, res) => {
      refuseHead(req);
      const accepted = acceptedFrameSyntaxes(req.get('Accept'));
      const numbers = frameNumbersOf(String(req.params.frames));
      const ctx = requestContext(req, res, options.publicBaseUrl, services.logger, services.requestDeadlineMs);
      const { transferSyntaxUid, frames } = await retrieveFrames(services, ctx, String(req.params.manifestId), instanceTargetOf(req), numbers);
      requireFrameSyntax(accepted, transferSyntaxUid, req.get('Accept'));
      sendFrames(res, transferSyntaxUid, frames);
    }),
  );
  // QIDO-RS (PS3.18 10.6.1 Table 10.6.1-2): every search resource, at the root and under a study or series.
  const search = (scopeOf: (req: Request) => QidoScope) =>
    route(async (req, res) => {
      requireDicomJson(req.get('Accept'));
      const ctx = requestContext(req, res, options.publicBaseUrl, services.logger, services.requestDeadlineMs);
      const datasets = await qidoSearch(services, ctx, String(req.params.manifestId), scopeOf(req), searchParamsOf(req));
      res.status(200).type(`${DICOM_JSON}; charset=utf-8`).send(JSON.stringify(datasets));
    });
  router.get('/:manifestId/studies', search(() => ({ level: 'study' })));
  router.get('/:manifestId/series', search(() => ({ level: 'series' })));
  router.get('/:manifestId/instances', search(() => ({ level: 'instance' })));
  // Under a study or series: the UIDs in the URL scope the search (targetOf reads them).
  router.get(`${study}/series`, search((req) => ({ level: 'series', ...targetOf(req) })));
  router.get(`${study}/instances`, search((req) => ({ level: 'instance', ...targetOf(req) })));
  router.get(`${series}/instances`, search((req) => ({ level: 'instance', ...targetOf(req) })));
  return router;
}
