import { parseToken, splitOr, unescapeValue } from '../../../src/search/fhir-values';

describe('FHIR search value syntax', () => {
  it('splits OR lists on unescaped commas only', () => {
    expect(splitOr('a,b\\,c,d')).toEqual(['a', 'b\\,c', 'd']);
    expect(splitOr('single')).toEqual(['single']);
  });
  it('parses tokens with, without and with an empty system', () => {
    expect(parseToken('http://loinc.org|1234-5')).toEqual({ system: 'http://loinc.org', code: '1234-5' });
    expect(parseToken('1234-5')).toEqual({ system: undefined, code: '1234-5' });
    expect(parseToken('|1234-5')).toEqual({ system: '', code: '1234-5' });
    expect(parseToken('sys\\|tem|co\\,de')).toEqual({ system: 'sys|tem', code: 'co,de' });
  });
  it('unescapes the FHIR escapes', () => {
    expect(unescapeValue('a\\,b\\|c\\$d\\\\e')).toBe('a,b|c$d\\e');
  });
});
