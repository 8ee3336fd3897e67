import { readRetrieveImagingDocumentSetRequest } from '../../../../src/sandbox/rad75/request';
import { SoapFault } from '../../../../src/sandbox/soap/fault';
import { parseXml } from '../../../../src/sandbox/xml/parse';

/** RetrieveImagingDocumentSetRequest (RAD TF-3 4.75.4.1.2, XDSI.b_ImagingDocumentSource.xsd). */
const XDSI = 'urn:ihe:rad:xdsi-b:2009';
const XDSB = 'urn:ihe:iti:xds-b:2007';
const doc = (uid: string): string =>
  `<b:DocumentRequest><b:HomeCommunityId>urn:oid:2.999.1.2</b:HomeCommunityId><b:RepositoryUniqueId>2.999.1.2.1</b:RepositoryUniqueId><b:DocumentUniqueId>${uid}</b:DocumentUniqueId></b:DocumentRequest>`;
const body = (studies: string, list = `<i:TransferSyntaxUIDList><i:TransferSyntaxUID> 1.2.840.10008.1.2.1 </i:TransferSyntaxUID><i:TransferSyntaxUID>1.2.840.10008.1.2</i:TransferSyntaxUID></i:TransferSyntaxUIDList>`): string =>
  `<i:RetrieveImagingDocumentSetRequest xmlns:i="${XDSI}" xmlns:b="${XDSB}">${studies}${list}</i:RetrieveImagingDocumentSetRequest>`;

describe('readRetrieveImagingDocumentSetRequest', () => {
  it('flattens studies › series › documents, keeping each document’s study and series, and reads the transfer syntaxes', () => {
    const xml = body(
      `<i:StudyRequest studyInstanceUID="1.1"><i:SeriesRequest seriesInstanceUID="1.1.1">${doc('1.1.1.1')}${doc('1.1.1.2')}</i:SeriesRequest><i:SeriesRequest seriesInstanceUID="1.1.2">${doc('1.1.2.1')}</i:SeriesRequest></i:StudyRequest>` +
        `<i:StudyRequest studyInstanceUID="2.1"><i:SeriesRequest seriesInstanceUID="2.1.1">${doc('2.1.1.1')}</i:SeriesRequest></i:StudyRequest>`,
    );
    const request = readRetrieveImagingDocumentSetRequest(parseXml(xml));
    expect(request.documents.map((d) => [d.studyInstanceUid, d.seriesInstanceUid, d.documentUniqueId, d.repositoryUniqueId])).toEqual([
      ['1.1', '1.1.1', '1.1.1.1', '2.999.1.2.1'],
      ['1.1', '1.1.1', '1.1.1.2', '2.999.1.2.1'],
      ['1.1', '1.1.2', '1.1.2.1', '2.999.1.2.1'],
      ['2.1', '2.1.1', '2.1.1.1', '2.999.1.2.1'],
    ]);
    expect(request.transferSyntaxUids).toEqual(['1.2.840.10008.1.2.1', '1.2.840.10008.1.2']);
  });

  const series = `<i:SeriesRequest seriesInstanceUID="1.1.1">${doc('1')}</i:SeriesRequest>`;
  it.each([
    ['another body element', `<b:RetrieveDocumentSetRequest xmlns:b="${XDSB}"/>`, /Expected \{urn:ihe:rad:xdsi-b:2009\}RetrieveImagingDocumentSetRequest/],
    ['no TransferSyntaxUIDList', body(`<i:StudyRequest studyInstanceUID="1">${series}</i:StudyRequest>`, ''), /end with one TransferSyntaxUIDList/],
    ['an empty TransferSyntaxUIDList', body(`<i:StudyRequest studyInstanceUID="1">${series}</i:StudyRequest>`, '<i:TransferSyntaxUIDList/>'), /no TransferSyntaxUID/],
    ['no StudyRequest', body(''), /no StudyRequest/],
    ['a StudyRequest without studyInstanceUID', body(`<i:StudyRequest>${series}</i:StudyRequest>`), /studyInstanceUID/],
    ['a SeriesRequest without seriesInstanceUID', body(`<i:StudyRequest studyInstanceUID="1"><i:SeriesRequest>${doc('1')}</i:SeriesRequest></i:StudyRequest>`), /seriesInstanceUID/],
    ['a series without DocumentRequest', body(`<i:StudyRequest studyInstanceUID="1"><i:SeriesRequest seriesInstanceUID="1.1"/></i:StudyRequest>`), /no DocumentRequest/],
    ['a DocumentRequest straight under StudyRequest', body(`<i:StudyRequest studyInstanceUID="1">${doc('1')}</i:StudyRequest>`), /unexpected element/],
  ])('refuses %s with a Sender fault', (_name, xml, reason) => {
    const read = (): unknown => readRetrieveImagingDocumentSetRequest(parseXml(xml));
    expect(read).toThrow(SoapFault);
    expect(read).toThrow(reason);
  });
});
