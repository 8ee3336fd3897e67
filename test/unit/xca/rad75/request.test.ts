import { offeredTransferSyntaxUids } from '../../../../src/interactions/imaging/imaging-table';
import { buildRetrieveImagingDocumentSet, type Rad75Request } from '../../../../src/xca/rad75';
import { attrOf, childNamed, type XmlNode } from '../../../../src/xca/xml/subtree';
import { parseTree } from '../support/tree';
import { HOME, REPOSITORY, SOAP, STUDY_REQUEST, STUDY_UIDS, XDSB, XDSI } from './kit';

const ADDRESSING = { to: 'https://igw.example/xca/rad75', messageId: '5e000000-0000-4000-8000-000000000075' };
const WSA = 'http://www.w3.org/2005/08/addressing';

async function requestElement(request: Rad75Request): Promise<{ envelope: XmlNode; body: XmlNode }> {
  const envelope = await parseTree(buildRetrieveImagingDocumentSet(request, ADDRESSING));
  const body = childNamed(childNamed(envelope, SOAP, 'Body') ?? envelope, XDSI, 'RetrieveImagingDocumentSetRequest');
  if (!body) throw new Error('no RetrieveImagingDocumentSetRequest');
  return { envelope, body };
}

describe('buildRetrieveImagingDocumentSet', () => {
  it('addresses the message with the RAD-75 action', async () => {
    const { envelope } = await requestElement(STUDY_REQUEST);
    const header = childNamed(envelope, SOAP, 'Header');
    const wsa = (name: string): string | undefined => (header ? childNamed(header, WSA, name)?.text : undefined);
    expect(wsa('Action')).toBe('urn:ihe:rad:2011:CrossGatewayRetrieveImagingDocumentSet');
    expect(wsa('MessageID')).toBe(`urn:uuid:${ADDRESSING.messageId}`);
    expect(wsa('To')).toBe(ADDRESSING.to);
  });

  it('writes Study › Series › DocumentRequest (home, repository, SOP Instance UID) then the transfer syntaxes', async () => {
    const { body } = await requestElement(STUDY_REQUEST);
    expect(body.children.map((c) => [c.uri, c.local])).toEqual([
      [XDSI, 'StudyRequest'],
      [XDSI, 'TransferSyntaxUIDList'],
    ]);
    const study = body.children[0] as XmlNode;
    expect(attrOf(study, 'studyInstanceUID')).toBe(STUDY_REQUEST.studyInstanceUid);
    expect(study.children.map((s) => [s.uri, s.local, attrOf(s, 'seriesInstanceUID')])).toEqual(STUDY_REQUEST.series.map((s) => [XDSI, 'SeriesRequest', s.seriesInstanceUid]));
    const documents = study.children.flatMap((s) => s.children);
    expect(documents.map((d) => [d.uri, d.local])).toEqual(STUDY_UIDS.map(() => [XDSB, 'DocumentRequest']));
    expect(documents.map((d) => d.children.map((c) => [c.uri, c.local, c.text]))).toEqual(
      STUDY_UIDS.map((uid) => [
        [XDSB, 'HomeCommunityId', HOME],
        [XDSB, 'RepositoryUniqueId', REPOSITORY],
        [XDSB, 'DocumentUniqueId', uid],
      ]),
    );
    const syntaxes = body.children[1]?.children ?? [];
    expect(syntaxes.map((c) => [c.uri, c.local, c.text])).toEqual(STUDY_REQUEST.transferSyntaxUids.map((uid) => [XDSI, 'TransferSyntaxUID', uid]));
  });

  it('trims the UIDs it is given', async () => {
    const request = { ...STUDY_REQUEST, studyInstanceUid: ` ${STUDY_REQUEST.studyInstanceUid} ` };
    const { body } = await requestElement(request);
    expect(attrOf(body.children[0] as XmlNode, 'studyInstanceUID')).toBe(STUDY_REQUEST.studyInstanceUid);
  });

  const first = STUDY_REQUEST.series[0]!;
  it.each([
    ['no series', { ...STUDY_REQUEST, series: [] }],
    ['a series without instances', { ...STUDY_REQUEST, series: [{ ...first, instances: [] }] }],
    ['no transfer syntax', { ...STUDY_REQUEST, transferSyntaxUids: [] }],
    ['a study UID that is not a DICOM UID', { ...STUDY_REQUEST, studyInstanceUid: '1.2.x' }],
    ['a SOP Instance UID over 64 characters', { ...STUDY_REQUEST, series: [{ ...first, instances: [{ sopInstanceUid: `1.${'2'.repeat(63)}`, repositoryUniqueId: REPOSITORY }] }] }],
    ['a series UID with a trailing dot', { ...STUDY_REQUEST, series: [{ ...first, seriesInstanceUid: '1.2.3.' }] }],
    ['an empty repository id', { ...STUDY_REQUEST, series: [{ ...first, instances: [{ sopInstanceUid: '1.2.3', repositoryUniqueId: ' ' }] }] }],
    ['an empty home community', { ...STUDY_REQUEST, homeCommunityId: '' }],
    ['the same instance twice', { ...STUDY_REQUEST, series: [first, { ...first, seriesInstanceUid: '1.2.9' }] }],
  ])('refuses %s (RangeError, nothing sent)', (_name, request) => {
    expect(() => buildRetrieveImagingDocumentSet(request, ADDRESSING)).toThrow(RangeError);
  });
});

describe('the transfer syntaxes of mappings/imaging.json', () => {
  it('build a request that lists them all, in order', async () => {
    const { body } = await requestElement({ ...STUDY_REQUEST, transferSyntaxUids: offeredTransferSyntaxUids() });
    expect(body.children[1]?.children.map((c) => c.text)).toEqual(offeredTransferSyntaxUids());
  });
});
