import { Readable } from 'node:stream';
import { buildCrossGatewayRetrieve, buildRetrieveDocumentSetRequest, encodeMtomRequest } from '../../../../src/xca/iti39';
import { parseMediaType, readMtom } from '../../../../src/xca/mtom';
import { childNamed } from '../../../../src/xca/xml/subtree';
import { parseTree } from '../support/tree';
import { REQUEST, SOAP, XDSB } from './kit';

const ADDRESSING = { to: 'https://gw.example/xca/iti39', messageId: '5e000000-0000-4000-8000-000000000039' };

describe('buildCrossGatewayRetrieve', () => {
  it('writes one DocumentRequest with the three ids in schema order, under the ITI-39 action', async () => {
    const envelope = await parseTree(buildCrossGatewayRetrieve(REQUEST, ADDRESSING));
    const header = childNamed(envelope, SOAP, 'Header');
    const wsa = (name: string): string | undefined => (header ? childNamed(header, 'http://www.w3.org/2005/08/addressing', name)?.text : undefined);
    expect(wsa('Action')).toBe('urn:ihe:iti:2007:CrossGatewayRetrieve');
    expect(wsa('MessageID')).toBe(`urn:uuid:${ADDRESSING.messageId}`);
    expect(wsa('To')).toBe(ADDRESSING.to);
    const request = childNamed(childNamed(envelope, SOAP, 'Body') ?? envelope, XDSB, 'RetrieveDocumentSetRequest');
    expect(request?.children.map((c) => c.local)).toEqual(['DocumentRequest']);
    expect(request?.children[0]?.children.map((c) => [c.uri, c.local, c.text])).toEqual([
      [XDSB, 'HomeCommunityId', REQUEST.homeCommunityId],
      [XDSB, 'RepositoryUniqueId', REQUEST.repositoryUniqueId],
      [XDSB, 'DocumentUniqueId', REQUEST.documentUniqueId],
    ]);
  });

  it('trims ids and escapes what XML needs escaped', () => {
    const xml = buildRetrieveDocumentSetRequest({ ...REQUEST, documentUniqueId: '  1.2.3&<4>  ' });
    expect(xml).toContain('<xdsb:DocumentUniqueId>1.2.3&amp;&lt;4&gt;</xdsb:DocumentUniqueId>');
  });

  it.each([
    ['an empty id', { ...REQUEST, repositoryUniqueId: '  ' }],
    ['an id longer than a rim:LongName', { ...REQUEST, documentUniqueId: '1.'.repeat(200) }],
  ])('refuses %s', (_name, request) => {
    expect(() => buildCrossGatewayRetrieve(request, ADDRESSING)).toThrow(RangeError);
  });
});

describe('encodeMtomRequest', () => {
  const envelope = buildCrossGatewayRetrieve(REQUEST, ADDRESSING);

  it('packages the envelope as the single root part of a multipart/related XOP message', async () => {
    const { contentType, body } = encodeMtomRequest(envelope);
    const media = parseMediaType(contentType);
    expect(media.type).toBe('multipart/related');
    expect(media.params).toMatchObject({ type: 'application/xop+xml', 'start-info': 'application/soap+xml', action: 'urn:ihe:iti:2007:CrossGatewayRetrieve' });
    const message = await readMtom(Readable.from([body]), contentType);
    expect(message.root.contentId).toBe(media.params['start']?.slice(1, -1));
    expect(message.root.contentType).toBe('application/xop+xml; charset=UTF-8; type="application/soap+xml"');
    expect(message.root.xml).toBe(envelope);
    await message.drain();
    expect(message.contentIds()).toHaveLength(1);
  });

  it('frames with CRLF and the given boundary and root Content-ID', () => {
    const { contentType, body } = encodeMtomRequest('<x/>', { boundary: 'B0', rootContentId: 'root@test', action: 'urn:a' });
    expect(contentType).toBe('multipart/related; type="application/xop+xml"; boundary="B0"; start="<root@test>"; start-info="application/soap+xml"; action="urn:a"');
    expect(body.toString('latin1')).toBe(
      '--B0\r\nContent-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"\r\nContent-Transfer-Encoding: binary\r\n' +
        'Content-ID: <root@test>\r\n\r\n<x/>\r\n--B0--\r\n',
    );
  });

  it('uses a fresh boundary per message and refuses one that occurs in the envelope', () => {
    expect(parseMediaType(encodeMtomRequest(envelope).contentType).params['boundary']).not.toBe(parseMediaType(encodeMtomRequest(envelope).contentType).params['boundary']);
    expect(() => encodeMtomRequest('<x>--B0</x>', { boundary: 'B0' })).toThrow(RangeError);
  });

  it('writes non-ASCII text as UTF-8', async () => {
    const { contentType, body } = encodeMtomRequest('<x>Zoë</x>');
    expect((await readMtom(Readable.from([body]), contentType)).root.xml).toBe('<x>Zoë</x>');
  });
});
