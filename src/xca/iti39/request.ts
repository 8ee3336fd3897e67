import { buildSoapEnvelope, type SoapAddressing } from '../soap/envelope';
import { el, renderXml } from '../xml/writer';
import { ITI39_ACTION, ITI39_NS } from './constants';
import type { Iti39Request } from './types';

/** WS-Addressing values of one ITI-39 request; `to` is the responding gateway's ITI-39 endpoint. */
export type Iti39Addressing = SoapAddressing;

/** Depth of RetrieveDocumentSetRequest inside Envelope/Body, so the serialised message is evenly indented. */
const BODY_DEPTH = 2;

/** rim:LongName, the type of the three ids in XDS.b_DocumentRepository.xsd, allows 256 characters. */
const MAX_ID_CHARS = 256;

function checkId(name: keyof Iti39Request, value: string): string {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > MAX_ID_CHARS) {
    throw new RangeError(`ITI-39 ${name} must be 1 to ${MAX_ID_CHARS} characters`);
  }
  return trimmed;
}

/**
 * The XDS.b RetrieveDocumentSetRequest for one document (ITI TF-2 3.43.4.1.2), as ITI-39 sends it: one
 * DocumentRequest with HomeCommunityId, RepositoryUniqueId, DocumentUniqueId in the order the schema's
 * xs:sequence demands. HomeCommunityId is optional in XDS.b but required in XCA (ITI TF-2 3.39.1).
 * @throws RangeError when an id is empty or longer than a rim:LongName.
 */
export function buildRetrieveDocumentSetRequest(request: Iti39Request): string {
  const body = el(
    'xdsb:RetrieveDocumentSetRequest',
    [['xmlns:xdsb', ITI39_NS.xdsb]],
    [
      el('xdsb:DocumentRequest', [], [
        el('xdsb:HomeCommunityId', [], checkId('homeCommunityId', request.homeCommunityId)),
        el('xdsb:RepositoryUniqueId', [], checkId('repositoryUniqueId', request.repositoryUniqueId)),
        el('xdsb:DocumentUniqueId', [], checkId('documentUniqueId', request.documentUniqueId)),
      ]),
    ],
  );
  return renderXml(body, BODY_DEPTH);
}

/**
 * The whole ITI-39 Cross Gateway Retrieve SOAP 1.2 message (ITI TF-2 3.39.4.1), WS-Addressing headers included
 * (Appendix V.3). It is sent as the root part of an MTOM package: see encodeMtomRequest.
 */
export function buildCrossGatewayRetrieve(request: Iti39Request, addressing: Iti39Addressing): string {
  return buildSoapEnvelope({ action: ITI39_ACTION.request, addressing, body: buildRetrieveDocumentSetRequest(request) });
}
