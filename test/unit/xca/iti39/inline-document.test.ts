import crypto from 'node:crypto';
import { decodeInlineDocument, inlineBody } from '../../../../src/xca/iti39/inline-document';
import { collect } from './kit';

describe('decodeInlineDocument', () => {
  const bytes = crypto.randomBytes(3 * 1024 * 1024 + 2);
  const base64 = bytes.toString('base64');

  it('decodes base64 split anywhere, with line breaks, across slices', async () => {
    const wrapped = base64.replace(/.{76}/g, '$&\r\n');
    const pieces = [wrapped.slice(0, 5), wrapped.slice(5, 1_500_001), wrapped.slice(1_500_001)];
    const doc = decodeInlineDocument(pieces, bytes.length);
    expect(doc.size).toBe(bytes.length);
    expect((await collect(inlineBody(doc))).equals(bytes)).toBe(true);
  });

  it.each([
    ['text outside the alphabet', 'Metriport Rocks!'],
    ['a character above U+00FF that Latin-1 would fold into the alphabet', 'QUJ\u0144'],
    ['data after the padding', 'QQ==QQ=='],
    ['a lone trailing character', 'QUJDR'],
  ])('refuses %s as unparseable', (_name, text) => {
    expect(() => decodeInlineDocument([text], 1024)).toThrow(expect.objectContaining({ kind: 'unparseable', message: expect.stringMatching(/not valid base64/) }));
  });

  it('refuses more than maxBytes decoded bytes as oversize', () => {
    expect(() => decodeInlineDocument([base64], bytes.length - 1)).toThrow(expect.objectContaining({ kind: 'oversize' }));
  });

  it('gives an empty document for empty base64', async () => {
    const doc = decodeInlineDocument([''], 10);
    expect(doc.size).toBe(0);
    expect((await collect(inlineBody(doc))).length).toBe(0);
  });
});
