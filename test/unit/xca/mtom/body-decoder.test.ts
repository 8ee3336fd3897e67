/** Content-Transfer-Encoding decoding as a stream (RFC 2045 §6). */
import { Base64Decoder, createBodyDecoder } from '../../../../src/xca/mtom/body-decoder';
import { isMtomError } from '../../../../src/xca/mtom';

function decodeInPieces(text: string, size: number): Buffer {
  const decoder = new Base64Decoder();
  const out: Buffer[] = [];
  for (let i = 0; i < text.length; i += size) out.push(decoder.push(Buffer.from(text.slice(i, i + size), 'latin1')));
  out.push(decoder.end());
  return Buffer.concat(out);
}

function reasonOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return isMtomError(err) ? err.reason : 'other';
  }
}

describe('Base64Decoder', () => {
  const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 131) & 0xff));
  const wrapped = (bytes.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n') + '\r\n';

  it.each([1, 2, 3, 4, 5, 7, 76, 78, 4096])('decodes line-wrapped base64 fed %i characters at a time', (size) => {
    expect(decodeInPieces(wrapped, size)).toEqual(bytes);
  });

  it('accepts padding split across chunks and an unpadded tail', () => {
    expect(decodeInPieces('QQ=', 3).toString()).toBe('A');
    expect(decodeInPieces('QUJDRA==', 7).toString()).toBe('ABCD');
    expect(decodeInPieces('QUJDRA', 6).toString()).toBe('ABCD');
  });

  it.each([
    ['a character outside the alphabet', 'QUJD*'],
    ['data after the padding', 'QQ==QUJD'],
    ['a dangling single character', 'QUJDR'],
    ['three pad characters', 'Q==='],
  ])('refuses %s', (_what, text) => {
    expect(reasonOf(() => decodeInPieces(text, 2))).toBe('bad-base64');
  });
});

describe('createBodyDecoder', () => {
  it.each(['', 'binary', '8bit', '7bit'])('passes %j through untouched', (encoding) => {
    const chunk = Buffer.from([0, 13, 10, 255]);
    const decoder = createBodyDecoder(encoding);
    expect(decoder.push(chunk)).toBe(chunk);
    expect(decoder.end().length).toBe(0);
  });

  it('refuses quoted-printable when data arrives', () => {
    expect(reasonOf(() => createBodyDecoder('quoted-printable').push(Buffer.from('a=3D')))).toBe('unsupported-encoding');
  });
});
