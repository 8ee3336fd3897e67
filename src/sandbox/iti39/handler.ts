import type { GatewayContext, RetrieveResult } from '../context';
import type { DocumentRequest } from '../retrieve/document-request';
import type { ServedDocument } from '../retrieve/response';
import { checkTarget, type RetrieveError } from '../retrieve/retrieve-error';
import { runRetrieve, type RetrieveTransaction } from '../retrieve/run';
import { ACTIONS } from '../soap/constants';
import { readRetrieveDocumentSetRequest } from './request';

/**
 * ITI-39 Cross Gateway Retrieve as a responding gateway answers it (ITI TF-2 3.39.4.1.3): an MTOM request with
 * the WS-Addressing headers of Appendix V, then per DocumentRequest: this community (else XDSUnknownCommunity),
 * this repository (else XDSUnknownRepositoryId), a known document whose bytes the repository still has (else
 * XDSDocumentUniqueIdError). Documents of any availabilityStatus are served. The answer is MTOM with one part per
 * document, streamed from its file or generator.
 */
function serve(request: DocumentRequest, ctx: GatewayContext): ServedDocument | RetrieveError {
  const refused = checkTarget(request, ctx);
  if (refused !== undefined) return refused;
  const found = ctx.registry.document(request.documentUniqueId);
  const content = found === undefined ? undefined : ctx.contents.content(found.document);
  if (found === undefined || content === undefined) {
    const why = found === undefined ? 'is not known to this repository' : 'is registered but its content is not available in this repository';
    return { errorCode: 'XDSDocumentUniqueIdError', codeContext: `document ${request.documentUniqueId} ${why}` };
  }
  return { repositoryUniqueId: ctx.repositoryUniqueId, documentUniqueId: request.documentUniqueId, mimeType: found.document.mimeType, content };
}

const ITI39: RetrieveTransaction<DocumentRequest[]> = {
  stat: 'iti39',
  label: 'ITI-39',
  action: ACTIONS.iti39,
  responseAction: ACTIONS.iti39Response,
  read: readRetrieveDocumentSetRequest,
  serve: (requests, ctx) => requests.map((r) => serve(r, ctx)),
};

/** Answer one ITI-39 HTTP request body. */
export function handleIti39(contentType: string | undefined, body: Buffer, ctx: GatewayContext): Promise<RetrieveResult> {
  return runRetrieve(ITI39, contentType, body, ctx);
}
