import { storedQueries } from '../../../../src/mappings/stored-queries';
import { XcaError } from '../../../../src/xca/errors';
import { crossGatewayQuery, getDocuments } from '../../../../src/xca/iti38/client';
import type { Community, StoredQuery } from '../../../../src/xca/model';
import { attrOf, childNamed, childrenNamed } from '../../../../src/xca/xml/subtree';
import { refusedUrl, sendSoap, startPeer, type Peer } from '../support/http-peer';
import { fixture } from '../support/sources';
import { parseTree } from '../support/tree';
import { xcaRejection } from '../support/rejection';

const SOAP = 'http://www.w3.org/2003/05/soap-envelope';
const QUERY = 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0';
const RIM = 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0';
const HOME_A = 'urn:oid:1.2.826.0.1.999.1';
const HOME_B = 'urn:oid:1.2.826.0.1.999.2';
const TABLE = storedQueries().storedQueries;

const community = (url: string, timeoutMs = 3000): Community => ({ homeCommunityId: HOME_A, name: 'Community A', iti38Url: url, timeoutMs, key: 'a' });

const FIND: StoredQuery = {
  queryId: TABLE.FindDocuments.id,
  returnType: 'LeafClass',
  homeCommunityId: HOME_A,
  slots: [
    { name: '$XDSDocumentEntryPatientId', values: ["'9000000009^^^&2.16.840.1.113883.2.1.4.1&ISO'"] },
    { name: '$XDSDocumentEntryStatus', values: ["('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')"] },
  ],
};

/** What a responding gateway sees in a request we sent. */
async function describeRequest(body: string): Promise<{ action?: string; queryId?: string; home?: string; returnType?: string; slots: Array<[string | undefined, string[]]> }> {
  const envelope = await parseTree(body);
  const header = childNamed(envelope, SOAP, 'Header');
  const request = childNamed(childNamed(envelope, SOAP, 'Body') ?? envelope, QUERY, 'AdhocQueryRequest');
  const adhoc = request && childNamed(request, RIM, 'AdhocQuery');
  const option = request && childNamed(request, QUERY, 'ResponseOption');
  return {
    action: header && childNamed(header, 'http://www.w3.org/2005/08/addressing', 'Action')?.text,
    queryId: adhoc && attrOf(adhoc, 'id'),
    home: adhoc && attrOf(adhoc, 'home'),
    returnType: option && attrOf(option, 'returnType'),
    slots: adhoc
      ? childrenNamed(adhoc, RIM, 'Slot').map((s) => [attrOf(s, 'name'), childrenNamed(childNamed(s, RIM, 'ValueList') ?? s, RIM, 'Value').map((v) => v.text)])
      : [],
  };
}

const uuid = (n: number): string => `urn:uuid:5e000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function answer(status: string, inner: string, errors = ''): string {
  return `<soap:Envelope xmlns:soap="${SOAP}"><soap:Body><q:AdhocQueryResponse xmlns:q="${QUERY}" xmlns:r="${RIM}" xmlns:rs="urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0" status="${status}">${errors}<r:RegistryObjectList>${inner}</r:RegistryObjectList></q:AdhocQueryResponse></soap:Body></soap:Envelope>`;
}
const SUCCESS = 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success';

async function rejection(promise: Promise<unknown>): Promise<XcaError> {
  return xcaRejection(promise);
}

describe('crossGatewayQuery against a real HTTP responder', () => {
  let peer: Peer | undefined;
  afterEach(async () => {
    await peer?.close();
    peer = undefined;
  });

  it('sends ITI-38 (action, To, home) and reads a LeafClass answer', async () => {
    peer = await startPeer((_req, res) => sendSoap(res, fixture('leafclass-prefixed.xml')));
    const result = await crossGatewayQuery(community(peer.url), FIND, { maxResponseBytes: 1024 * 1024 });
    expect(result.status).toBe('Success');
    expect(result.extrinsicObjects.map((eo) => eo.id)).toEqual(['urn:uuid:0a6e4b2c-1f3d-4c5e-9a7b-1c2d3e4f5a01']);
    expect(peer.seen).toHaveLength(1);
    const seen = peer.seen[0];
    expect(seen?.headers['content-type']).toBe('application/soap+xml; charset=UTF-8; action="urn:ihe:iti:2007:CrossGatewayQuery"');
    const request = await describeRequest(seen?.body ?? '');
    expect(request).toMatchObject({ action: 'urn:ihe:iti:2007:CrossGatewayQuery', queryId: FIND.queryId, home: HOME_A, returnType: 'LeafClass' });
    expect(seen?.body).toContain(`<wsa:To>${peer.url}</wsa:To>`);
  });

  it('resolves ObjectRefs with GetDocuments in batches of maxIdsPerQuery, per home, and merges', async () => {
    const refsA = Array.from({ length: 110 }, (_, i) => uuid(i));
    const refsB = Array.from({ length: 10 }, (_, i) => uuid(500 + i));
    const missing = uuid(7); // the responder "forgets" this one
    peer = await startPeer(async (req, res) => {
      const request = await describeRequest(req.body);
      if (request.queryId === TABLE.FindDocuments.id) {
        const refs = [...refsA.map((id) => `<r:ObjectRef id="${id}" home="${HOME_A}"/>`), ...refsB.map((id) => `<r:ObjectRef id="${id}" home="${HOME_B}"/>`)];
        return sendSoap(res, answer(SUCCESS, refs.join('')));
      }
      const ids = (request.slots[0]?.[1][0] ?? '').match(/urn:uuid:[0-9a-f-]{36}/g) ?? [];
      const objects = ids.filter((id) => id !== missing).map((id) => `<r:ExtrinsicObject id="${id}" home="${request.home ?? ''}"/>`).join('');
      if (request.home === HOME_B) {
        const warning = '<rs:RegistryErrorList><rs:RegistryError errorCode="XDSRegistryNotAvailable" codeContext="partly" severity="urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning"/></rs:RegistryErrorList>';
        return sendSoap(res, answer('urn:ihe:iti:2007:ResponseStatusType:PartialSuccess', objects, warning));
      }
      return sendSoap(res, answer(SUCCESS, objects));
    });
    const result = await crossGatewayQuery(community(peer.url), { ...FIND, returnType: 'ObjectRef' }, { maxResponseBytes: 1024 * 1024 });

    const maxIds = TABLE.GetDocuments.maxIdsPerQuery ?? 0;
    expect(maxIds).toBe(50);
    expect(peer.seen).toHaveLength(1 + 3 + 1); // FindDocuments, then 110 ids of A in 3 batches, 10 of B in 1
    const getDocs = await Promise.all(peer.seen.slice(1).map((r) => describeRequest(r.body)));
    for (const request of getDocs) {
      expect(request.queryId).toBe(TABLE.GetDocuments.id);
      expect(request.returnType).toBe('LeafClass');
      expect(request.slots).toHaveLength(1);
      const [name, values] = request.slots[0] ?? [];
      expect(name).toBe(TABLE.GetDocuments.entryUuidSlot);
      expect(values).toHaveLength(1);
      expect(values?.[0]).toMatch(/^\('urn:uuid:[0-9a-f-]{36}'(,'urn:uuid:[0-9a-f-]{36}')*\)$/);
    }
    const batches = getDocs.map((r) => [r.home, (r.slots[0]?.[1][0] ?? '').split(',').length]).sort();
    expect(batches).toEqual([[HOME_A, 10], [HOME_A, 50], [HOME_A, 50], [HOME_B, 10]]);
    expect(getDocs.find((r) => r.home === HOME_A)?.slots[0]?.[1][0]).toMatch(/^\('urn:uuid:5e000000-0000-4000-8000-0000000000\d\d','urn:uuid:/);

    expect(result.extrinsicObjects).toHaveLength(119);
    expect(result.objectRefs).toEqual([{ id: missing, home: HOME_A }]); // unresolved refs stay visible
    expect(result.status).toBe('PartialSuccess');
    expect(result.errors.map((e) => e.errorCode)).toEqual(['XDSRegistryNotAvailable']);
  });

  it('hands every ExtrinsicObject, of the answer and of its GetDocuments answers, to the reader and merges by id', async () => {
    const refs = Array.from({ length: 3 }, (_, i) => uuid(i));
    peer = await startPeer(async (req, res) => {
      const request = await describeRequest(req.body);
      if (request.queryId === TABLE.FindDocuments.id) {
        // One document in full, two as references (one of them also given in full: merged once).
        return sendSoap(res, answer(SUCCESS, `<r:ExtrinsicObject id="${refs[0]}"/><r:ObjectRef id="${refs[0]}"/><r:ObjectRef id="${refs[1]}"/><r:ObjectRef id="${refs[2]}"/>`));
      }
      const ids = (request.slots[0]?.[1][0] ?? '').match(/urn:uuid:[0-9a-f-]{36}/g) ?? [];
      return sendSoap(res, answer(SUCCESS, ids.map((id) => `<r:ExtrinsicObject id="${id}"/>`).join('')));
    });
    const read: string[] = [];
    const result = await crossGatewayQuery(community(peer.url), FIND, { maxResponseBytes: 1024 * 1024 }, (entry) => {
      read.push(entry.id);
      return { id: entry.id, kept: `kept ${entry.id}` };
    });
    expect(read.sort()).toEqual([refs[0], refs[0], refs[1], refs[2]].sort());
    expect(result.extrinsicObjects.map((e) => e.kept).sort()).toEqual(refs.map((id) => `kept ${id}`).sort());
    expect(result.objectRefs).toEqual([]);
  });

  it('getDocuments reads single documents by entryUUID', async () => {
    peer = await startPeer((_req, res) => sendSoap(res, fixture('leafclass-prefixed.xml')));
    const result = await getDocuments(community(peer.url), ['urn:uuid:0a6e4b2c-1f3d-4c5e-9a7b-1c2d3e4f5a01'], { maxResponseBytes: 1024 * 1024 });
    expect(result.extrinsicObjects).toHaveLength(1);
    const request = await describeRequest(peer.seen[0]?.body ?? '');
    expect(request).toMatchObject({ queryId: TABLE.GetDocuments.id, home: HOME_A, slots: [[TABLE.GetDocuments.entryUuidSlot, ["('urn:uuid:0a6e4b2c-1f3d-4c5e-9a7b-1c2d3e4f5a01')"]]] });
  });

  it('returns a registry Failure (XDSUnknownPatientId) instead of throwing', async () => {
    peer = await startPeer((_req, res) => sendSoap(res, fixture('failure-unknown-patient.xml')));
    const result = await crossGatewayQuery(community(peer.url), FIND, { maxResponseBytes: 1024 * 1024 });
    expect([result.status, result.errors[0]?.errorCode]).toEqual(['Failure', 'XDSUnknownPatientId']);
  });

  it('HTTP 500 is http-status; HTTP 500 with a SOAP Fault is soap-fault; HTTP 200 with a Fault is soap-fault', async () => {
    let mode = 0;
    peer = await startPeer((_req, res) => {
      if (mode === 0) sendSoap(res, 'Internal error', 500, 'text/plain');
      else sendSoap(res, fixture('soap12-fault.xml'), mode === 1 ? 500 : 200);
    });
    const ctx = { maxResponseBytes: 1024 * 1024 };
    const plain = await rejection(crossGatewayQuery(community(peer.url), FIND, ctx));
    expect([plain.kind, plain.httpStatus]).toEqual(['http-status', 500]);
    mode = 1;
    const fault500 = await rejection(crossGatewayQuery(community(peer.url), FIND, ctx));
    expect([fault500.kind, fault500.httpStatus, fault500.faultCode]).toEqual(['soap-fault', 500, 'Sender']);
    mode = 2;
    const fault200 = await rejection(crossGatewayQuery(community(peer.url), FIND, ctx));
    expect([fault200.kind, fault200.faultCode]).toEqual(['soap-fault', 'Sender']);
  });

  it('times out after community.timeoutMs', async () => {
    peer = await startPeer(() => undefined);
    const started = Date.now();
    const err = await rejection(crossGatewayQuery(community(peer.url, 250), FIND, { maxResponseBytes: 1024 }));
    expect(err.kind).toBe('timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('connection refused is network', async () => {
    expect((await rejection(crossGatewayQuery(community(await refusedUrl()), FIND, { maxResponseBytes: 1024 }))).kind).toBe('network');
  });

  it('an answer over maxResponseBytes is oversize', async () => {
    peer = await startPeer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/soap+xml' }); // chunked: no Content-Length to refuse early
      res.end(fixture('leafclass-prefixed.xml'));
    });
    const err = await rejection(crossGatewayQuery(community(peer.url), FIND, { maxResponseBytes: 2000 }));
    expect(err.kind).toBe('oversize');
  });

  it('a multipart (MTOM) ITI-38 answer is unparseable with a clear message', async () => {
    peer = await startPeer((_req, res) => sendSoap(res, '--b\r\n\r\n--b--', 200, 'multipart/related; type="application/xop+xml"; boundary=b'));
    const err = await rejection(crossGatewayQuery(community(peer.url), FIND, { maxResponseBytes: 1024 }));
    expect([err.kind, err.message]).toEqual(['unparseable', 'The responding gateway answered ITI-38 with a multipart (MTOM) message; a plain SOAP answer is required']);
  });
});
