import type { DocumentContent } from '../content/content-store';
import type { XdsRegistryProtocol } from '../protocol';
import { NS } from '../soap/constants';
import { soapEnvelope } from '../soap/envelope-out';
import { el, type XmlNode } from '../xml/write';
import { cidUrl, mtomPackage, newContentId, type MtomAttachment, type MtomResponse } from './mtom-response';
import type { RetrieveError } from './retrieve-error';

/**
 * The answer to ITI-39 and RAD-75 alike: an XDS.b RetrieveDocumentSetResponse (ITI TF-2 3.43.4.2.2; RAD-75 reuses
 * it, RAD TF-3 4.75.4.2), packaged as MTOM. rs:RegistryResponse status is Success when every document was served,
 * Failure when none was, PartialSuccess otherwise (ITI TF-3 4.2.4.2); each RegistryError names this gateway's
 * homeCommunityId as its location (ITI TF-2 3.39.4.1.3). Each DocumentResponse carries HomeCommunityId,
 * RepositoryUniqueId, DocumentUniqueId and mimeType in schema order, and a Document that is an xop:Include of
 * its attachment part.
 */
export interface ServedDocument {
  readonly repositoryUniqueId: string;
  readonly documentUniqueId: string;
  readonly mimeType: string;
  readonly content: DocumentContent;
}

export interface RetrieveOutcome {
  readonly documents: readonly ServedDocument[];
  readonly errors: readonly RetrieveError[];
}

export interface RetrieveResponseContext {
  readonly homeCommunityId: string;
  readonly protocol: XdsRegistryProtocol;
}

function status(outcome: RetrieveOutcome, protocol: XdsRegistryProtocol): string {
  const { Success, Failure, PartialSuccess } = protocol.ebrs.responseStatus;
  if (outcome.errors.length === 0) return Success;
  return outcome.documents.length === 0 ? Failure : PartialSuccess;
}

function registryResponse(outcome: RetrieveOutcome, ctx: RetrieveResponseContext): XmlNode {
  const severity = ctx.protocol.ebrs.errorSeverity;
  const errors = outcome.errors.map((e) => el('rs:RegistryError', { errorCode: e.errorCode, codeContext: e.codeContext, location: ctx.homeCommunityId, severity }));
  const list = errors.length === 0 ? [] : [el('rs:RegistryErrorList', { highestSeverity: severity }, errors)];
  return el('rs:RegistryResponse', { status: status(outcome, ctx.protocol) }, list);
}

function documentResponse(doc: ServedDocument, contentId: string, home: string): XmlNode {
  return el('xdsb:DocumentResponse', undefined, [
    el('xdsb:HomeCommunityId', undefined, undefined, home),
    el('xdsb:RepositoryUniqueId', undefined, undefined, doc.repositoryUniqueId),
    el('xdsb:DocumentUniqueId', undefined, undefined, doc.documentUniqueId),
    el('xdsb:mimeType', undefined, undefined, doc.mimeType),
    el('xdsb:Document', undefined, [el('xop:Include', { 'xmlns:xop': NS.xop, href: cidUrl(contentId) })]),
  ]);
}

/** The MTOM answer: root part with the response envelope (WS-Addressing `action`, RelatesTo), one part per document. */
export function retrieveResponse(action: string, relatesTo: string, outcome: RetrieveOutcome, ctx: RetrieveResponseContext): MtomResponse {
  const attachments: MtomAttachment[] = outcome.documents.map((doc, i) => ({ contentId: newContentId(`document${i + 1}`), mimeType: doc.mimeType, open: () => doc.content.open() }));
  const payload = el('xdsb:RetrieveDocumentSetResponse', { 'xmlns:xdsb': NS.xdsb }, [
    registryResponse(outcome, ctx),
    ...outcome.documents.map((doc, i) => documentResponse(doc, (attachments[i] as MtomAttachment).contentId, ctx.homeCommunityId)),
  ]);
  return mtomPackage(soapEnvelope(action, relatesTo, payload), action, attachments);
}
