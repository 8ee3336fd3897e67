import { storedQueries } from '../../../../src/mappings/stored-queries';
import { ebrsList, getDocumentsQueries, mergeResponses } from '../../../../src/xca/iti38/get-documents';
import type { AdhocQueryResponse, Community } from '../../../../src/xca/model';

const COMMUNITY: Community = { homeCommunityId: 'urn:oid:1.2.826.0.1.999.1', name: 'A', iti38Url: 'http://a', timeoutMs: 1000, key: 'a' };
const DEF = storedQueries().storedQueries.GetDocuments;

describe('ebrsList', () => {
  it('quotes values and doubles quotes inside them (a peer-supplied id cannot break out of the list)', () => {
    expect(ebrsList(['urn:uuid:a', 'urn:uuid:b'])).toBe("('urn:uuid:a','urn:uuid:b')");
    expect(ebrsList(["x'),('y"])).toBe("('x''),(''y')");
  });
});

describe('getDocumentsQueries', () => {
  it('uses the table’s query id and slot, LeafClass, batches of maxIdsPerQuery, one home per batch, no duplicate ids', () => {
    const refs = [
      ...Array.from({ length: 51 }, (_, i) => ({ id: `urn:uuid:${i}` })),
      { id: 'urn:uuid:0' },
      { id: 'urn:uuid:b1', home: 'urn:oid:9.9' },
    ];
    const queries = getDocumentsQueries(COMMUNITY, refs);
    expect(queries.map((q) => [q.queryId, q.returnType, q.homeCommunityId, q.slots[0]?.name, (q.slots[0]?.values[0] ?? '').split(',').length])).toEqual([
      [DEF.id, 'LeafClass', COMMUNITY.homeCommunityId, DEF.entryUuidSlot, 50],
      [DEF.id, 'LeafClass', COMMUNITY.homeCommunityId, DEF.entryUuidSlot, 1],
      [DEF.id, 'LeafClass', 'urn:oid:9.9', DEF.entryUuidSlot, 1],
    ]);
  });
});

describe('mergeResponses', () => {
  const part = (status: AdhocQueryResponse['status'], ids: string[], errors = 0): AdhocQueryResponse => ({
    status,
    extrinsicObjects: ids.map((id) => ({ id, slots: [], classifications: [], externalIdentifiers: [] })),
    objectRefs: [],
    errors: Array.from({ length: errors }, () => ({ errorCode: 'E', codeContext: '', severity: 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error' })),
  });

  it('combines statuses: all Success → Success, all Failure → Failure, mixed → PartialSuccess', () => {
    expect(mergeResponses([part('Success', []), part('Success', [])]).status).toBe('Success');
    expect(mergeResponses([part('Failure', []), part('Failure', [])]).status).toBe('Failure');
    expect(mergeResponses([part('Success', []), part('Failure', [])]).status).toBe('PartialSuccess');
    expect(mergeResponses([part('PartialSuccess', [])]).status).toBe('PartialSuccess');
  });

  it('keeps every error and de-duplicates documents by id', () => {
    const merged = mergeResponses([part('Success', ['a', 'b'], 1), part('PartialSuccess', ['b', 'c'], 2)]);
    expect(merged.extrinsicObjects.map((eo) => eo.id)).toEqual(['a', 'b', 'c']);
    expect(merged.errors).toHaveLength(3);
  });
});
