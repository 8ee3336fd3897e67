import type { GatewayContext, RetrieveResult } from '../context';
import type { ServedDocument } from '../retrieve/response';
import { checkTarget, type RetrieveError } from '../retrieve/retrieve-error';
import { runRetrieve, type RetrieveTransaction } from '../retrieve/run';
import { ACTIONS } from '../soap/constants';
import { readRetrieveImagingDocumentSetRequest, type ImagingDocumentRequest, type Rad75Request } from './request';

/**
 * RAD-75 Cross Gateway Retrieve Imaging Document Set as a responding imaging gateway answers it (RAD TF-3 4.75):
 * the DICOM instances of the seed's imaging document source (Community B: the CT images its KOS manifest lists,
 * whose Retrieve Location UID is B's repositoryUniqueId). Per DocumentRequest: this community, this repository,
 * an instance held under the study and series the request names (else XDSDocumentUniqueIdError), and a stored
 * transfer syntax the request accepts (else XDSRepositoryError, as NIST's rig_5424 expects: the sandbox never
 * transcodes). The answer is the XDS.b RetrieveDocumentSetResponse, MTOM, one application/dicom part per instance.
 */
function serve(request: ImagingDocumentRequest, accepted: readonly string[], ctx: GatewayContext): ServedDocument | RetrieveError {
  const refused = checkTarget(request, ctx);
  if (refused !== undefined) return refused;
  const store = ctx.contents.dicom;
  const instance = store?.instance(request.documentUniqueId);
  const uid = `${request.studyInstanceUid}/${request.seriesInstanceUid}/${request.documentUniqueId}`;
  if (store === undefined || instance === undefined || instance.studyUid !== request.studyInstanceUid || instance.seriesUid !== request.seriesInstanceUid) {
    return { errorCode: 'XDSDocumentUniqueIdError', codeContext: `no DICOM instance ${uid} (study/series/SOP Instance UID) in this imaging document source` };
  }
  if (!accepted.includes(store.transferSyntaxUid)) {
    return {
      errorCode: 'XDSRepositoryError',
      codeContext: `transfer syntax not supported: instance ${request.documentUniqueId} is stored as ${store.transferSyntaxUid} and the request accepts only ${accepted.join(', ')}`,
    };
  }
  return { repositoryUniqueId: ctx.repositoryUniqueId, documentUniqueId: request.documentUniqueId, mimeType: store.mimeType, content: { open: () => store.open(instance) } };
}

const RAD75: RetrieveTransaction<Rad75Request> = {
  stat: 'rad75',
  label: 'RAD-75',
  action: ACTIONS.rad75,
  responseAction: ACTIONS.rad75Response,
  read: readRetrieveImagingDocumentSetRequest,
  serve: (request, ctx) => request.documents.map((d) => serve(d, request.transferSyntaxUids, ctx)),
};

/** Answer one RAD-75 HTTP request body. */
export function handleRad75(contentType: string | undefined, body: Buffer, ctx: GatewayContext): Promise<RetrieveResult> {
  return runRetrieve(RAD75, contentType, body, ctx);
}
