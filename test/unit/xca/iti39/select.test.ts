import { Iti39RegistryError, selectDocument, type Iti39DocumentResponse, type Iti39Response } from '../../../../src/xca/iti39';
import { comparableId } from '../../../../src/xca/iti39/select';
import { REQUEST } from './kit';

const doc = (over: Partial<Iti39DocumentResponse>): Iti39DocumentResponse => ({
  homeCommunityId: REQUEST.homeCommunityId,
  repositoryUniqueId: REQUEST.repositoryUniqueId,
  documentUniqueId: REQUEST.documentUniqueId,
  mimeType: 'application/pdf',
  document: { kind: 'xop', href: 'cid:x' },
  ...over,
});
const answer = (documents: Iti39DocumentResponse[], errors: Iti39Response['errors'] = []): Iti39Response => ({ status: 'Success', errors, documents });
const ERROR = { errorCode: 'XDSDocumentUniqueIdError', codeContext: 'not here', severity: 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error' };

describe('selectDocument', () => {
  it('compares ids without whitespace or urn:oid: prefix', () => {
    expect(comparableId(' urn:oid: 1.2.3 ')).toBe('1.2.3');
    expect(comparableId('URN:OID:1.2')).toBe('1.2');
    expect(comparableId('  ')).toBeUndefined();
  });

  it('prefers our community, then an unstated one, then another; first in document order among equals', () => {
    const elsewhere = doc({ homeCommunityId: 'urn:oid:9.9', document: { kind: 'xop', href: 'cid:elsewhere' } });
    const unstated = doc({ homeCommunityId: undefined, document: { kind: 'xop', href: 'cid:unstated' } });
    const ours = doc({ document: { kind: 'xop', href: 'cid:ours' } });
    const oursAgain = doc({ document: { kind: 'xop', href: 'cid:ours-again' } });
    expect(selectDocument(answer([elsewhere, unstated, ours, oursAgain]), REQUEST)).toBe(ours);
    expect(selectDocument(answer([elsewhere, unstated]), REQUEST)).toBe(unstated);
    expect(selectDocument(answer([elsewhere]), REQUEST)).toBe(elsewhere);
  });

  it('accepts a DocumentResponse without RepositoryUniqueId but never one with another repository', () => {
    const noRepository = doc({ repositoryUniqueId: undefined });
    expect(selectDocument(answer([doc({ repositoryUniqueId: '7.7' }), noRepository]), REQUEST)).toBe(noRepository);
    expect(() => selectDocument(answer([doc({ repositoryUniqueId: '7.7' })]), REQUEST)).toThrow(/None of the 1 DocumentResponse/);
  });

  it('throws Iti39RegistryError when nothing matches and errors were sent, unparseable otherwise', () => {
    expect(() => selectDocument(answer([doc({ documentUniqueId: '1.1' })], [ERROR]), REQUEST)).toThrow(Iti39RegistryError);
    expect(() => selectDocument(answer([]), REQUEST)).toThrow(/neither a DocumentResponse nor a RegistryError/);
  });

  it('serves a matching document despite errors, and refuses one without mimeType', () => {
    const match = doc({});
    expect(selectDocument(answer([match], [ERROR]), REQUEST)).toBe(match);
    expect(() => selectDocument(answer([doc({ mimeType: undefined })]), REQUEST)).toThrow(/has no mimeType/);
  });
});
