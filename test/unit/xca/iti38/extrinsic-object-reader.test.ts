import { XcaError } from '../../../../src/xca/errors';
import { parseAdhocQueryResponse } from '../../../../src/xca/iti38/response-parser';
import { whole } from '../support/sources';

/**
 * The ExtrinsicObject is read straight from the parser's events (no element tree): what it takes and what it skips
 * when an answer holds more than the usual shape.
 */

const RIM = 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0';
const Q = `xmlns:q="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0" xmlns:r="${RIM}"`;
const SUCCESS = 'status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"';

async function entryOf(inner: string, attributes = 'id="urn:uuid:1"'): Promise<unknown> {
  const xml = `<q:AdhocQueryResponse ${Q} ${SUCCESS}><r:RegistryObjectList><r:ExtrinsicObject ${attributes}>${inner}</r:ExtrinsicObject></r:RegistryObjectList></q:AdhocQueryResponse>`;
  const response = await parseAdhocQueryResponse(whole(xml), { maxBytes: 1024 * 1024 });
  expect(response.extrinsicObjects).toHaveLength(1);
  return response.extrinsicObjects[0];
}

describe('ExtrinsicObject reading', () => {
  it('reads the attributes it knows; an empty one counts as absent', async () => {
    expect(await entryOf('', 'id="urn:uuid:1" lid="" home="urn:oid:1.2" mimeType="text/plain" status="S" objectType="T" other="x"')).toEqual({
      id: 'urn:uuid:1',
      home: 'urn:oid:1.2',
      mimeType: 'text/plain',
      status: 'S',
      objectType: 'T',
      slots: [],
      classifications: [],
      externalIdentifiers: [],
    });
  });

  it('takes the first Name and Description only, each from its first LocalizedString', async () => {
    const entry = await entryOf(
      '<r:Name><r:LocalizedString value=""/><r:LocalizedString value="second"/></r:Name><r:Name><r:LocalizedString value="later"/></r:Name>' +
        '<r:Description><r:LocalizedString value="D"/></r:Description>',
    );
    expect(entry).toMatchObject({ description: 'D' });
    expect(entry).not.toHaveProperty('name');
  });

  it('reads Slot values from the first ValueList, trimmed; nameless Slots and other elements are skipped', async () => {
    const entry = await entryOf(
      '<r:Slot><r:ValueList><r:Value>nameless</r:Value></r:ValueList></r:Slot>' +
        '<r:Slot name="s"><x:ValueList xmlns:x="urn:other"><x:Value>foreign</x:Value></x:ValueList>' +
        '<r:ValueList><r:Value> a </r:Value><r:Value/><r:Value>b<r:Deep>inner</r:Deep> <r:Deep/>c<![CDATA[&]]>&amp;</r:Value></r:ValueList>' +
        '<r:ValueList><r:Value>second list</r:Value></r:ValueList></r:Slot>' +
        '<r:Wrapper><r:Slot name="deep"><r:ValueList><r:Value>x</r:Value></r:ValueList></r:Slot></r:Wrapper>',
    );
    expect(entry).toMatchObject({ slots: [{ name: 's', values: ['a', '', 'bc&&'] }] });
  });

  it('reads Classifications (nodeRepresentation="" kept, Description not read) and ExternalIdentifiers (both attributes required)', async () => {
    const entry = await entryOf(
      '<r:Classification classificationScheme="cs" classificationNode="" nodeRepresentation="">' +
        '<r:Description><r:LocalizedString value="not read"/></r:Description><r:Name><r:LocalizedString value="N"/></r:Name>' +
        '<r:Slot name="codingScheme"><r:ValueList><r:Value>1.2</r:Value></r:ValueList></r:Slot></r:Classification>' +
        '<r:ExternalIdentifier identificationScheme="is" value="v"><r:Name><r:LocalizedString value="E"/></r:Name></r:ExternalIdentifier>' +
        '<r:ExternalIdentifier identificationScheme="is"/><r:ExternalIdentifier identificationScheme="" value="v"/>',
    );
    expect(entry).toMatchObject({
      classifications: [{ classificationScheme: 'cs', nodeRepresentation: '', name: 'N', slots: [{ name: 'codingScheme', values: ['1.2'] }] }],
      externalIdentifiers: [{ identificationScheme: 'is', value: 'v', name: 'E' }],
    });
  });

  it('refuses an inflated value pieced together from several text events', async () => {
    const piece = `<![CDATA[${'x'.repeat(200 * 1024)}]]>`;
    const err: unknown = await entryOf(`<r:Slot name="s"><r:ValueList><r:Value>${piece}${piece}</r:Value></r:ValueList></r:Slot>`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(XcaError);
    expect((err as XcaError).kind).toBe('oversize');
  });
});
