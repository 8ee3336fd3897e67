import type { RimSlot, StoredQuery } from '../model';
import { NS, WSA } from '../soap/constants';
import { buildSoapEnvelope, type SoapAddressing } from '../soap/envelope';
import { el, renderXml, type XmlElementSpec } from '../xml/writer';

/** WS-Addressing values of one ITI-38 request; `to` is the responding gateway's ITI-38 endpoint. */
export type Iti38Addressing = SoapAddressing;

/** Depth of AdhocQueryRequest inside Envelope/Body, so the serialised message is evenly indented. */
const BODY_DEPTH = 2;

function slotElement(slot: RimSlot): XmlElementSpec {
  // Values are already in ebRS syntax ('x' or ('a','b')), ITI TF-2 3.18.4.1.2.3.5; only XML escaping applies.
  const values = slot.values.map((value) => el('rim:Value', [], value));
  return el('rim:Slot', [['name', slot.name]], [el('rim:ValueList', [], values)]);
}

/**
 * The ebRS 3.0 AdhocQueryRequest of a Registry Stored Query (ITI TF-2 3.18.4.1.2) as sent over ITI-38:
 * returnComposedObjects="true" and `home` on AdhocQuery (ITI TF-2 3.38.4.1.2.1: the homeCommunityId of the
 * community asked, required for the GetXXX queries and harmless on FindXXX).
 */
export function buildAdhocQueryRequest(query: StoredQuery): string {
  const request = el(
    'query:AdhocQueryRequest',
    [
      ['xmlns:query', NS.query],
      ['xmlns:rim', NS.rim],
    ],
    [
      el('query:ResponseOption', [
        ['returnComposedObjects', 'true'],
        ['returnType', query.returnType],
      ]),
      el(
        'rim:AdhocQuery',
        [
          ['id', query.queryId],
          ['home', query.homeCommunityId],
        ],
        query.slots.map(slotElement),
      ),
    ],
  );
  return renderXml(request, BODY_DEPTH);
}

/** The whole ITI-38 Cross Gateway Query SOAP message (ITI TF-2 3.38.4.1). */
export function buildCrossGatewayQuery(query: StoredQuery, addressing: Iti38Addressing): string {
  return buildSoapEnvelope({ action: WSA.iti38Request, addressing, body: buildAdhocQueryRequest(query) });
}
