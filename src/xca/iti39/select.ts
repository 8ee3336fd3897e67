import { XcaError } from '../errors';
import { Iti39RegistryError } from './registry-error';
import type { Iti39DocumentResponse, Iti39Request, Iti39Response } from './types';

/**
 * Which DocumentResponse answers our one DocumentRequest (ITI TF-2 3.43.4.2.3). A responder may send several
 * (NIST's samples repeat the document; aggregating gateways add others), so the answer is the one whose
 * DocumentUniqueId, and RepositoryUniqueId when sent, are the ones asked for; among those, one stamped with
 * the community asked comes first. Ids are compared without whitespace and without a `urn:oid:` prefix:
 * responders add both ("urn:oid: 987654321" in a public capture), and neither can be part of an OID.
 */

/** An id as compared: no whitespace, no leading `urn:oid:` (any case). */
export function comparableId(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const id = value.replace(/\s+/g, '').replace(/^urn:oid:/i, '');
  return id === '' ? undefined : id;
}

function isCandidate(doc: Iti39DocumentResponse, request: Iti39Request): boolean {
  if (comparableId(doc.documentUniqueId) !== comparableId(request.documentUniqueId)) return false;
  const repository = comparableId(doc.repositoryUniqueId);
  return repository === undefined || repository === comparableId(request.repositoryUniqueId);
}

/** 0: our community; 1: not stated (ITI-39 requires it, XDS.b does not); 2: another community. */
function communityRank(doc: Iti39DocumentResponse, request: Iti39Request): number {
  const home = comparableId(doc.homeCommunityId);
  if (home === undefined) return 1;
  return home === comparableId(request.homeCommunityId) ? 0 : 2;
}

/**
 * The DocumentResponse to serve. Throws Iti39RegistryError when none matches and the answer carries
 * RegistryErrors (the responder said why), XcaError('unparseable') when none matches otherwise, or when the
 * match has no mimeType (without it the document cannot be served with a Content-Type).
 */
export function selectDocument(response: Iti39Response, request: Iti39Request): Iti39DocumentResponse {
  const candidates = response.documents.filter((doc) => isCandidate(doc, request));
  const chosen = candidates.sort((a, b) => communityRank(a, request) - communityRank(b, request))[0];
  if (chosen === undefined) {
    if (response.errors.length > 0) throw new Iti39RegistryError(response.status, response.errors);
    if (response.documents.length === 0) {
      throw new XcaError('unparseable', `The ITI-39 response (status ${response.status}) holds neither a DocumentResponse nor a RegistryError`);
    }
    throw new XcaError('unparseable', `None of the ${response.documents.length} DocumentResponse(s) of the ITI-39 response is the document requested`);
  }
  if (chosen.mimeType === undefined) {
    throw new XcaError('unparseable', 'The DocumentResponse of the requested document has no mimeType');
  }
  return chosen;
}
