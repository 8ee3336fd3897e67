import { ITI39_NS } from '../iti39/constants';
import { buildSoapEnvelope } from '../soap/envelope';
import { el, renderXml, type XmlElementSpec } from '../xml/writer';
import { RAD75_ACTION, RAD75_LIMITS, RAD75_NS } from './constants';
import type { Rad75Addressing, Rad75Instance, Rad75Request } from './types';

/**
 * The RAD-75 request (RAD TF-3 4.75.4.1.2, whose semantics are RAD-69's, 4.69.4.1.2): one StudyRequest holding a
 * SeriesRequest per series, each holding an XDS.b DocumentRequest per instance (HomeCommunityId, required across
 * gateways; RepositoryUniqueId; DocumentUniqueId = SOP Instance UID, in the order the schema's xs:sequence
 * demands), then TransferSyntaxUIDList. Every list must be non-empty (XDSI.b_ImagingDocumentSource.xsd).
 */

/** Depth of RetrieveImagingDocumentSetRequest inside Envelope/Body, so the message is evenly indented. */
const BODY_DEPTH = 2;
/** DICOM UID: digits and dots (PS3.5 section 9.1); leading zeros are let through, as archives do. */
const DICOM_UID = /^[0-9]+(\.[0-9]+)*$/;

function checkLongName(name: string, value: string): string {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > RAD75_LIMITS.maxLongNameChars) {
    throw new RangeError(`RAD-75 ${name} must be 1 to ${RAD75_LIMITS.maxLongNameChars} characters`);
  }
  return trimmed;
}

function checkUid(name: string, value: string): string {
  const trimmed = value.trim();
  if (trimmed.length > RAD75_LIMITS.maxUidChars || !DICOM_UID.test(trimmed)) {
    throw new RangeError(`RAD-75 ${name} must be a DICOM UID (digits and dots, at most ${RAD75_LIMITS.maxUidChars} characters)`);
  }
  return trimmed;
}

function nonEmpty<T>(name: string, list: readonly T[]): readonly T[] {
  if (list.length === 0) throw new RangeError(`RAD-75 ${name} must not be empty`);
  return list;
}

function documentRequest(homeCommunityId: string, instance: Rad75Instance, seen: Set<string>): XmlElementSpec {
  const sopInstanceUid = checkUid('sopInstanceUid', instance.sopInstanceUid);
  // The answer is matched to the request by SOP Instance UID: asking twice would make that ambiguous.
  if (seen.has(sopInstanceUid)) throw new RangeError('RAD-75 request names the same sopInstanceUid twice');
  seen.add(sopInstanceUid);
  return el('xdsb:DocumentRequest', [], [
    el('xdsb:HomeCommunityId', [], homeCommunityId),
    el('xdsb:RepositoryUniqueId', [], checkLongName('repositoryUniqueId', instance.repositoryUniqueId)),
    el('xdsb:DocumentUniqueId', [], sopInstanceUid),
  ]);
}

/**
 * The RetrieveImagingDocumentSetRequest element, serialised.
 * @throws RangeError when a list is empty, a UID is not a DICOM UID, an id is empty or too long, or an instance
 *   is named twice (caller bugs: nothing is sent).
 */
export function buildRetrieveImagingDocumentSetRequest(request: Rad75Request): string {
  const home = checkLongName('homeCommunityId', request.homeCommunityId);
  const seen = new Set<string>();
  const series = nonEmpty('series', request.series).map((s) =>
    el('xdsi:SeriesRequest', [['seriesInstanceUID', checkUid('seriesInstanceUid', s.seriesInstanceUid)]], nonEmpty('series instances', s.instances).map((i) => documentRequest(home, i, seen))),
  );
  const syntaxes = nonEmpty('transferSyntaxUids', request.transferSyntaxUids).map((uid) => el('xdsi:TransferSyntaxUID', [], checkUid('transferSyntaxUid', uid)));
  const body = el(
    'xdsi:RetrieveImagingDocumentSetRequest',
    [
      ['xmlns:xdsi', RAD75_NS.xdsi],
      ['xmlns:xdsb', ITI39_NS.xdsb],
    ],
    [el('xdsi:StudyRequest', [['studyInstanceUID', checkUid('studyInstanceUid', request.studyInstanceUid)]], series), el('xdsi:TransferSyntaxUIDList', [], syntaxes)],
  );
  return renderXml(body, BODY_DEPTH);
}

/**
 * The whole RAD-75 SOAP 1.2 message (RAD TF-3 4.75.4.1), WS-Addressing headers included (ITI TF-2 Appendix V.3).
 * It is sent as the root part of an MTOM package (encodeMtomRequest with RAD75_ACTION.request).
 */
export function buildRetrieveImagingDocumentSet(request: Rad75Request, addressing: Rad75Addressing): string {
  return buildSoapEnvelope({ action: RAD75_ACTION.request, addressing, body: buildRetrieveImagingDocumentSetRequest(request) });
}
