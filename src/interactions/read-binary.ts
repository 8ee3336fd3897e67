import { FacadeError } from '../errors/facade-error';
import { documentEntryKeys } from '../fhir/document-reference';
import { parseBinaryId } from '../fhir/ids';
import { findRule } from '../mappings/search-parameters';
import { crossGatewayRetrieve, isIti39RegistryError, type Iti39Request, type RetrievedDocument } from '../xca/iti39';
import type { Community } from '../xca/model';
import { seenPatient } from './seen-documents';
import { communityOf, fetchEntry } from './read-document-reference';
import type { RequestContext, Services } from './services';
import { callUpstream } from './upstream';
import { label, registryFailure, transportFailure } from './upstream-errors';

/** The XDS availabilityStatus FHIR calls `superseded` (mappings/search-parameters.json, the status value map). */
const isDeprecated = (status: string | undefined): boolean => status !== undefined && status === findRule('status')?.valueMap?.superseded;

/** Where a Binary id points: straight at (community, repository, document), or at an entry to look up first. */
async function resolve(services: Services, ctx: RequestContext, id: string): Promise<{ community: Community; request: Iti39Request; deprecated: boolean }> {
  const parts = parseBinaryId(id);
  const community = communityOf(services, parts.communityKey, id);
  if (parts.kind === 'direct') {
    return { community, request: { homeCommunityId: community.homeCommunityId, repositoryUniqueId: parts.repositoryUniqueId, documentUniqueId: parts.documentUniqueId }, deprecated: false };
  }
  const entry = await fetchEntry(services, ctx, community, parts.entryUUID, id);
  const keys = documentEntryKeys(entry, community);
  if (keys.repositoryUniqueId === undefined || keys.uniqueId === undefined) {
    throw new FacadeError('UPSTREAM_FAILED', `${label(community)} described the document without a repository or unique id`);
  }
  return {
    community,
    request: { homeCommunityId: entry.home ?? community.homeCommunityId, repositoryUniqueId: keys.repositoryUniqueId, documentUniqueId: keys.uniqueId },
    deprecated: isDeprecated(entry.status),
  };
}

/**
 * ITI-68 Retrieve Document as ITI-39 Cross Gateway Retrieve (MHD vol 1 33.6.2): one retrieve to the community the
 * id names. The document comes back as a stream still arriving; the HTTP edge decides how to send it.
 */
export async function retrieveDocument(services: Services, ctx: RequestContext, id: string): Promise<RetrievedDocument> {
  const patient = await seenPatient(services, ctx, id);
  await ctx.audit.begin(patient);
  const { community, request, deprecated } = await resolve(services, ctx, id);
  if (community.iti39Url === undefined) throw new FacadeError('UPSTREAM_FAILED', `${label(community)} has no ITI-39 endpoint configured`);
  try {
    return await callUpstream(services, ctx, community, 'ITI-39', (call) => crossGatewayRetrieve(community, request, call), {
      contactOf: () => ({ outcome: 'success', documentCount: 1 }),
    });
  } catch (err) {
    if (isIti39RegistryError(err)) {
      const failure = registryFailure(community, err.errors);
      // XDS has no "deprecated" error: when the entry said so and the document is gone, say 410 (where known).
      if (deprecated && failure.code === 'NO_RECORD_FOUND') throw new FacadeError('RECORD_DEPRECATED', `${failure.message}; the document is deprecated`);
      throw failure;
    }
    throw transportFailure(community, err);
  }
}
