import { buildAdhocQueryRequest, buildCrossGatewayQuery } from '../../../../src/xca/iti38/request';
import { attrOf, childNamed, childrenNamed } from '../../../../src/xca/xml/subtree';
import type { StoredQuery } from '../../../../src/xca/model';
import { parseTree } from '../support/tree';

const QUERY = 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0';
const RIM = 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0';

const query: StoredQuery = {
  queryId: 'urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d',
  returnType: 'ObjectRef',
  homeCommunityId: 'urn:oid:1.2.3',
  slots: [
    { name: '$XDSDocumentEntryPatientId', values: ["'9000000009^^^&2.16.840.1.113883.2.1.4.1&ISO'"] },
    { name: '$XDSDocumentEntryAuthorPerson', values: ["('%<x>%')", "('%y%')"] },
  ],
};

describe('buildAdhocQueryRequest', () => {
  it('writes ResponseOption, AdhocQuery id + home and the slots in order, values escaped but otherwise verbatim', async () => {
    const root = await parseTree(buildAdhocQueryRequest(query));
    expect([root.uri, root.local]).toEqual([QUERY, 'AdhocQueryRequest']);
    const option = childNamed(root, QUERY, 'ResponseOption');
    expect(option && [attrOf(option, 'returnComposedObjects'), attrOf(option, 'returnType')]).toEqual(['true', 'ObjectRef']);
    const adhoc = childNamed(root, RIM, 'AdhocQuery');
    if (!adhoc) throw new Error('no AdhocQuery');
    expect([attrOf(adhoc, 'id'), attrOf(adhoc, 'home')]).toEqual([query.queryId, 'urn:oid:1.2.3']);
    const slots = childrenNamed(adhoc, RIM, 'Slot').map((slot) => ({
      name: attrOf(slot, 'name'),
      values: childrenNamed(childNamed(slot, RIM, 'ValueList') ?? slot, RIM, 'Value').map((v) => v.text),
    }));
    expect(slots).toEqual(query.slots);
  });

  it('is wrapped in a SOAP envelope with the ITI-38 action by buildCrossGatewayQuery', () => {
    const xml = buildCrossGatewayQuery(query, { to: 'http://gw', messageId: 'urn:uuid:1' });
    expect(xml).toContain('<wsa:Action soap:mustUnderstand="1">urn:ihe:iti:2007:CrossGatewayQuery</wsa:Action>');
    expect(xml).toContain('<wsa:To>http://gw</wsa:To>');
    expect(xml).toContain("<rim:Value>('%&lt;x&gt;%')</rim:Value>");
  });
});
