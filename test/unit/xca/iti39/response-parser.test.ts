import { XcaError } from '../../../../src/xca/errors';
import { parseRetrieveResponse } from '../../../../src/xca/iti39';
import { XML_LIMITS } from '../../../../src/xca/soap/constants';
import { chunked, whole } from '../support/sources';
import { FAILURE, faultXml, PARTIAL, PDF_DOC, registryError, REQUEST, retrieveXml, RS, SOAP, XDSB } from './kit';
import { xcaRejection } from '../support/rejection';

const OPTIONS = { maxBytes: 4 * 1024 * 1024, maxDocumentChars: 1024 * 1024 };
const parse = (xml: string, options = OPTIONS): ReturnType<typeof parseRetrieveResponse> => parseRetrieveResponse(whole(xml), options);

async function failure(xml: string, options = OPTIONS): Promise<XcaError> {
  return xcaRejection(parse(xml, options));
}

describe('parseRetrieveResponse', () => {
  it('reads status, errors and DocumentResponses with their Document content', async () => {
    const xml = retrieveXml(
      [
        { ...PDF_DOC, cid: 'a@x' },
        { ...PDF_DOC, document: '1.2.3', base64: 'QUJD' },
        { ...PDF_DOC, document: '1.2.4' },
        { home: undefined, repository: '1.2', document: '1.2.5', mimeType: 'text/plain' },
      ],
      { status: PARTIAL, errors: [registryError('XDSRepositoryBusy')] },
    ).replace('<x:Document></x:Document></x:DocumentResponse></x:RetrieveDocumentSetResponse>', '</x:DocumentResponse></x:RetrieveDocumentSetResponse>');
    const response = await parse(xml);
    expect(response.status).toBe('PartialSuccess');
    expect(response.errors.map((e) => e.errorCode)).toEqual(['XDSRepositoryBusy']);
    expect(response.documents).toEqual([
      { homeCommunityId: REQUEST.homeCommunityId, repositoryUniqueId: REQUEST.repositoryUniqueId, documentUniqueId: REQUEST.documentUniqueId, mimeType: 'application/pdf', document: { kind: 'xop', href: 'cid:a@x' } },
      { homeCommunityId: REQUEST.homeCommunityId, repositoryUniqueId: REQUEST.repositoryUniqueId, documentUniqueId: '1.2.3', mimeType: 'application/pdf', document: { kind: 'inline', base64: ['QUJD'] } },
      { homeCommunityId: REQUEST.homeCommunityId, repositoryUniqueId: REQUEST.repositoryUniqueId, documentUniqueId: '1.2.4', mimeType: 'application/pdf', document: { kind: 'empty' } },
      { repositoryUniqueId: '1.2', documentUniqueId: '1.2.5', mimeType: 'text/plain', document: { kind: 'missing' } },
    ]);
  });

  it('matches by namespace, not prefix: default namespaces, unqualified children, odd case, RegistryErrorList in rim', async () => {
    const xml =
      `<Envelope xmlns="${SOAP}"><Body><RetrieveDocumentSetResponse xmlns="${XDSB}">` +
      `<RegistryResponse xmlns="${RS}" status="${FAILURE}"><rim:RegistryErrorList xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0">` +
      `<RegistryError errorCode="XDSMissingDocument" codeContext="gone" severity="urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error"/></rim:RegistryErrorList></RegistryResponse>` +
      `<DocumentResponse><homeCommunityId> urn:oid:1.2 </homeCommunityId><RepositoryUniqueId>1.3</RepositoryUniqueId><DocumentUniqueId>1.4</DocumentUniqueId>` +
      `<MimeType>text/xml</MimeType><Document><![CDATA[QUJD]]>\n  RA==</Document></DocumentResponse>` +
      `<DocumentResponse xmlns=""><DocumentUniqueId>1.5</DocumentUniqueId><mimeType>text/xml</mimeType></DocumentResponse>` +
      `</RetrieveDocumentSetResponse></Body></Envelope>`;
    const response = await parse(xml);
    expect(response.status).toBe('Failure');
    expect(response.errors).toEqual([{ errorCode: 'XDSMissingDocument', codeContext: 'gone', severity: 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error' }]);
    expect(response.documents[0]).toEqual({ homeCommunityId: 'urn:oid:1.2', repositoryUniqueId: '1.3', documentUniqueId: '1.4', mimeType: 'text/xml', document: { kind: 'inline', base64: ['QUJD', '\n  RA=='] } });
    expect(response.documents[1]).toMatchObject({ documentUniqueId: '1.5' }); // unqualified DocumentResponse, tolerated
  });

  it('gives the same result however the bytes are chunked', async () => {
    const xml = Buffer.from(retrieveXml([{ ...PDF_DOC, base64: Buffer.alloc(5000, 7).toString('base64') }], { errors: [registryError('XDSRepositoryBusy')] }));
    const reference = await parseRetrieveResponse(whole(xml), OPTIONS);
    for (const sizes of [[1], [7, 13], [1000]]) expect(await parseRetrieveResponse(chunked(xml, sizes), OPTIONS)).toEqual(reference);
  });

  it('accepts an inline document far longer than the ordinary text limit', async () => {
    const base64 = Buffer.alloc(XML_LIMITS.maxTextChars, 1).toString('base64');
    const response = await parse(retrieveXml([{ ...PDF_DOC, base64 }]));
    expect(response.documents[0]?.document).toEqual({ kind: 'inline', base64: [base64] });
  });

  it.each([
    ['a SOAP Fault', faultXml(), 'soap-fault', /SOAP Fault \(Sender\)/],
    ['no RetrieveDocumentSetResponse', `<s:Envelope xmlns:s="${SOAP}"><s:Body><x/></s:Body></s:Envelope>`, 'unparseable', /no RetrieveDocumentSetResponse/],
    ['no RegistryResponse', `<RetrieveDocumentSetResponse xmlns="${XDSB}"/>`, 'unparseable', /no RegistryResponse/],
    ['an unknown status', retrieveXml([], { status: 'Done' }), 'unparseable', /unknown RegistryResponse status/],
    ['a DOCTYPE', `<!DOCTYPE x [<!ENTITY a "b">]>${retrieveXml([])}`, 'unparseable', /DOCTYPE/],
    ['truncated XML', retrieveXml([PDF_DOC]).slice(0, 400), 'unparseable', /not well-formed/],
    ['an over-long id', retrieveXml([{ ...PDF_DOC, document: 'x'.repeat(XML_LIMITS.maxTextChars + 1) }]), 'oversize', /over-long/],
  ])('refuses %s', async (_name, xml, kind, message) => {
    expect(await failure(xml)).toMatchObject({ kind, message: expect.stringMatching(message) });
  });

  it('refuses an inline document longer than maxDocumentChars, and a body over maxBytes', async () => {
    const xml = retrieveXml([{ ...PDF_DOC, base64: 'QUJD'.repeat(1000) }]);
    expect(await failure(xml, { maxBytes: OPTIONS.maxBytes, maxDocumentChars: 3999 })).toMatchObject({ kind: 'oversize' });
    expect(await failure(xml, { maxBytes: 2000, maxDocumentChars: OPTIONS.maxDocumentChars })).toMatchObject({ kind: 'oversize' });
  });
});
