/** Content-Type reading (RFC 2045 §5.1) as real responders write it. */
import { isMultipart, parseMediaType } from '../../../../src/xca/mtom';

describe('parseMediaType', () => {
  it('reads quoted and unquoted parameters, any case, spaces and trailing semicolons', () => {
    expect(parseMediaType('Multipart/Related ; BOUNDARY = "uuid:1+id=2" ;type=application/xop+xml; Start="<0.urn:uuid:a@apache.org>"; start-info = "application/soap+xml" ;')).toEqual({
      type: 'multipart/related',
      params: { boundary: 'uuid:1+id=2', type: 'application/xop+xml', start: '<0.urn:uuid:a@apache.org>', 'start-info': 'application/soap+xml' },
    });
  });

  it('keeps semicolons inside quotes and unescapes quoted-pairs', () => {
    expect(parseMediaType('multipart/related; boundary="a;b"; action="urn:\\"x\\""').params).toEqual({ boundary: 'a;b', action: 'urn:"x"' });
  });

  it('lets the first of a repeated parameter win and skips segments without a name', () => {
    expect(parseMediaType('text/xml;; =x; charset=utf-8; charset=latin1;').params).toEqual({ charset: 'utf-8' });
  });

  it('gives an empty type for a missing header', () => {
    expect(parseMediaType(undefined)).toEqual({ type: '', params: {} });
  });
});

describe('isMultipart', () => {
  it.each([
    ['multipart/related; boundary=x', true],
    ['Multipart/Related;type="application/xop+xml"', true],
    ['multipart/mixed; boundary=x', true],
    ['application/soap+xml; charset=utf-8', false],
    ['text/xml', false],
    [undefined, false],
  ])('%s → %s', (value, expected) => {
    expect(isMultipart(value)).toBe(expected);
  });
});
