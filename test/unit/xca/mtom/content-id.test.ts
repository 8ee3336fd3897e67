/** Content-ID ↔ cid: URL matching (RFC 2392, XOP 1.0 §4.1). */
import { normaliseContentId } from '../../../../src/xca/mtom';

describe('normaliseContentId', () => {
  it.each([
    ['<1.urn:uuid:3D4B@apache.org>', '1.urn:uuid:3D4B@apache.org'],
    ['1.urn:uuid:3D4B@apache.org', '1.urn:uuid:3D4B@apache.org'],
    ['cid:1.urn%3Auuid%3A3D4B%40apache.org', '1.urn:uuid:3D4B@apache.org'],
    ['cid:1.urn:uuid:3D4B@apache.org', '1.urn:uuid:3D4B@apache.org'],
    ['CID:<1.urn:uuid:3D4B@apache.org>', '1.urn:uuid:3D4B@apache.org'],
    ['  <http://tempuri.org/1/638508752600716378>  ', 'http://tempuri.org/1/638508752600716378'],
    ['cid:http://tempuri.org/1/638508752600716378', 'http://tempuri.org/1/638508752600716378'],
  ])('%s → %s', (value, expected) => {
    expect(normaliseContentId(value)).toBe(expected);
  });

  it('keeps case and leaves a malformed percent escape as it stands', () => {
    expect(normaliseContentId('cid:Doc%ZZ@Example.org')).toBe('Doc%ZZ@Example.org');
  });
});
