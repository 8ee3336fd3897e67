import type { DocumentRequest } from './document-request';

/**
 * The per-document errors of a retrieve (ITI TF-3 Table 4.2.4.1-2; ITI TF-2 3.39.4.1.3 for XCA; RAD TF-3 4.75 for
 * XCA-I). Each failed DocumentRequest yields one RegistryError and no DocumentResponse; the others are still
 * served, hence PartialSuccess. SOAP-level problems are Faults instead (soap/fault.ts).
 */
export type RetrieveErrorCode =
  | 'XDSMissingHomeCommunityId'
  | 'XDSUnknownCommunity'
  | 'XDSUnknownRepositoryId'
  | 'XDSDocumentUniqueIdError'
  | 'XDSRepositoryError';

export interface RetrieveError {
  readonly errorCode: RetrieveErrorCode;
  readonly codeContext: string;
}

/** Who this gateway is, as far as a DocumentRequest's addressing goes. */
export interface RetrieveTarget {
  readonly homeCommunityId: string;
  readonly repositoryUniqueId: string;
}

/**
 * Is the request addressed to this community and its repository? XCA responding gateways answer only for their
 * own homeCommunityId; a repositoryUniqueId other than this gateway's repository (or imaging document source,
 * whose id is the KOS Retrieve Location UID) is unknown here. Compared exactly: a `urn:oid:` prefix on a
 * repositoryUniqueId is not the repository's id.
 */
export function checkTarget(request: DocumentRequest, target: RetrieveTarget): RetrieveError | undefined {
  const what = `document ${request.documentUniqueId}`;
  if (request.homeCommunityId === undefined || request.homeCommunityId === '') {
    return { errorCode: 'XDSMissingHomeCommunityId', codeContext: `DocumentRequest for ${what} has no HomeCommunityId; this gateway is ${target.homeCommunityId}` };
  }
  if (request.homeCommunityId !== target.homeCommunityId) {
    return { errorCode: 'XDSUnknownCommunity', codeContext: `HomeCommunityId ${request.homeCommunityId} of ${what} is not this community (${target.homeCommunityId})` };
  }
  if (request.repositoryUniqueId !== target.repositoryUniqueId) {
    return { errorCode: 'XDSUnknownRepositoryId', codeContext: `RepositoryUniqueId ${request.repositoryUniqueId} of ${what} is not a repository of this community` };
  }
  return undefined;
}
