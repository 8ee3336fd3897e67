import { readDocumentRequest, readDocumentRequests } from '../../../../src/sandbox/retrieve/document-request';
import { checkTarget } from '../../../../src/sandbox/retrieve/retrieve-error';
import { SoapFault } from '../../../../src/sandbox/soap/fault';
import { parseXml } from '../../../../src/sandbox/xml/parse';

const XDSB = 'urn:ihe:iti:xds-b:2007';
const wrap = (inner: string): string => `<b:RetrieveDocumentSetRequest xmlns:b="${XDSB}">${inner}</b:RetrieveDocumentSetRequest>`;
const request = (home: string | null, repo = '2.999.1.1.1', doc = '2.999.1.1.1.1'): string =>
  `<b:DocumentRequest>${home === null ? '' : `<b:HomeCommunityId>${home}</b:HomeCommunityId>`}<b:RepositoryUniqueId> ${repo} </b:RepositoryUniqueId><b:DocumentUniqueId>${doc}</b:DocumentUniqueId></b:DocumentRequest>`;

describe('readDocumentRequests (XDS.b DocumentRequest, ITI TF-2 3.43.4.1.2)', () => {
  it('reads each request in order, trimming values, HomeCommunityId optional', () => {
    expect(readDocumentRequests(parseXml(wrap(request('urn:oid:2.999.1.1') + request(null, '2.999.1.2.1', '2.999.1.2.1.1'))))).toEqual([
      { homeCommunityId: 'urn:oid:2.999.1.1', repositoryUniqueId: '2.999.1.1.1', documentUniqueId: '2.999.1.1.1.1' },
      { homeCommunityId: undefined, repositoryUniqueId: '2.999.1.2.1', documentUniqueId: '2.999.1.2.1.1' },
    ]);
  });

  it.each([
    ['no DocumentRequest', wrap(''), /no DocumentRequest/],
    ['a stray element', wrap(`${request('h')}<b:Other/>`), /unexpected element/],
    ['elements out of order', wrap(`<b:DocumentRequest><b:DocumentUniqueId>1</b:DocumentUniqueId><b:RepositoryUniqueId>2</b:RepositoryUniqueId></b:DocumentRequest>`), /in that order/],
    ['a missing DocumentUniqueId', wrap(`<b:DocumentRequest><b:RepositoryUniqueId>2</b:RepositoryUniqueId></b:DocumentRequest>`), /in that order/],
    ['the wrong namespace', `<b:RetrieveDocumentSetRequest xmlns:b="${XDSB}"><c:DocumentRequest xmlns:c="urn:x"/></b:RetrieveDocumentSetRequest>`, /unexpected element \{urn:x\}DocumentRequest/],
    ['a value longer than a rim:LongName', wrap(request('h', 'r', '1'.repeat(257))), /LongName/],
    ['element content in a value', wrap(`<b:DocumentRequest><b:RepositoryUniqueId><b:x/></b:RepositoryUniqueId><b:DocumentUniqueId>1</b:DocumentUniqueId></b:DocumentRequest>`), /text only/],
  ])('refuses %s with a Sender fault', (_name, xml, reason) => {
    const read = (): unknown => readDocumentRequests(parseXml(xml));
    expect(read).toThrow(SoapFault);
    expect(read).toThrow(reason);
  });

  it('readDocumentRequest reads one element', () => {
    const el = parseXml(request('urn:oid:1').replace('<b:DocumentRequest>', `<b:DocumentRequest xmlns:b="${XDSB}">`));
    expect(readDocumentRequest(el).homeCommunityId).toBe('urn:oid:1');
  });
});

describe('checkTarget (ITI TF-2 3.39.4.1.3)', () => {
  const target = { homeCommunityId: 'urn:oid:2.999.1.1', repositoryUniqueId: '2.999.1.1.1' };
  it.each([
    [{ homeCommunityId: undefined, repositoryUniqueId: '2.999.1.1.1', documentUniqueId: 'd' }, 'XDSMissingHomeCommunityId'],
    [{ homeCommunityId: 'urn:oid:2.999.1.2', repositoryUniqueId: '2.999.1.1.1', documentUniqueId: 'd' }, 'XDSUnknownCommunity'],
    [{ homeCommunityId: 'urn:oid:2.999.1.1', repositoryUniqueId: 'urn:oid:2.999.1.1.1', documentUniqueId: 'd' }, 'XDSUnknownRepositoryId'],
    [{ homeCommunityId: 'urn:oid:2.999.1.1', repositoryUniqueId: '2.999.1.1.1', documentUniqueId: 'd' }, undefined],
  ])('%j -> %s', (req, code) => {
    expect(checkTarget(req, target)?.errorCode).toBe(code);
  });
});
