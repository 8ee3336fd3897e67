import { communityLabel, identifierLabel, INVALID_COMMUNITY, methodLabel, routePattern, UNMATCHED_ROUTE } from '../../../src/observability/labels';

describe('routePattern', () => {
  it.each([
    '/fhir/DocumentReference',
    '/fhir/DocumentReference/:id',
    '/fhir/Binary/:id',
    '/fhir/metadata',
    '/fhir/r4/DocumentReference/_search',
    '/fhir/DocumentReference/:id/$docref',
    '/.well-known/smart-configuration',
    '/files/*splat',
    '/fhir/Binary/:id{/:format}',
    '/',
  ])('accepts the Express pattern %s as it is', (pattern) => {
    expect(routePattern(pattern)).toBe(pattern);
  });

  it.each([
    ['a concrete URL with an NHS number', '/fhir/Patient/9000000009'],
    ['a query string', '/fhir/DocumentReference?patient=9000000009'],
    ['a query string without digits', '/fhir/DocumentReference?status=current'],
    ['a digit run inside a literal', '/fhir/x9000000009'],
    ['a segment starting with a digit', '/fhir/2024/DocumentReference'],
    ['an encoded character', '/fhir/Patient/%39000000009'],
    ['a relative path', 'fhir/DocumentReference'],
    ['an empty string', ''],
    ['a RegExp route', /^\/fhir\/.*$/],
    ['an array route', ['/a', '/b']],
    ['undefined (no route matched)', undefined],
    ['an over-long string', `/${'a'.repeat(200)}`],
  ])('turns %s into UNMATCHED_ROUTE', (_what, input) => {
    expect(routePattern(input)).toBe(UNMATCHED_ROUTE);
  });
});

describe('communityLabel', () => {
  it('keeps configured names and homeCommunityIds', () => {
    expect(communityLabel('community-a')).toBe('community-a');
    expect(communityLabel('Leeds Teaching Hospitals PACS')).toBe('Leeds Teaching Hospitals PACS');
    expect(communityLabel('urn:oid:1.3.6.1.4.1.21367.13.70.101')).toBe('urn:oid:1.3.6.1.4.1.21367.13.70.101');
  });

  it.each(['9000000009', 'gw-9000000009', 'https://gw.example/iti38', 'urn:oid:1..2', '', 'a'.repeat(65)])('refuses %p', (value) => {
    expect(communityLabel(value)).toBe(INVALID_COMMUNITY);
  });
});

describe('methodLabel and identifierLabel', () => {
  it('allow only a closed set of methods and short code-given identifiers', () => {
    expect(['get', 'POST', 'Delete', 'PROPFIND', '9000000009'].map(methodLabel)).toEqual(['GET', 'POST', 'DELETE', 'OTHER', 'OTHER']);
    expect(['search', 'docref', 'xua-signing', 'search:9000000009', 'has space'].map(identifierLabel)).toEqual(['search', 'docref', 'xua-signing', 'other', 'other']);
  });
});
