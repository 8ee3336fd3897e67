import { parseCodedValue, parseListSlot, parseNumber, parseQuotedList, parseQuotedString, singleValue } from '../../../../src/sandbox/iti38/slot-values';
import { RegistryQueryError } from '../../../../src/sandbox/iti38/registry-error';

function errorOf(fn: () => unknown): RegistryQueryError {
  try {
    fn();
  } catch (err) {
    if (err instanceof RegistryQueryError) return err;
    throw err;
  }
  throw new Error('expected a RegistryQueryError');
}

describe('ebRS slot value syntax (ITI TF-2 3.18.4.1.2.3.5)', () => {
  it('reads single-quoted strings, with doubled quotes inside', () => {
    expect(parseQuotedString('$S', "'9000000009^^^&2.16.840.1.113883.2.1.4.1&ISO'")).toBe('9000000009^^^&2.16.840.1.113883.2.1.4.1&ISO');
    expect(parseQuotedString('$S', " 'O''Brien' ")).toBe("O'Brien");
    expect(parseQuotedString('$S', "''")).toBe('');
  });

  it.each(['unquoted', '"double"', "'open", "('list')", "'a'b'"])('refuses %s as a string', (value) => {
    const err = errorOf(() => parseQuotedString('$S', value));
    expect(err.errorCode).toBe('XDSRegistryError');
    expect(err.codeContext).toContain('$S');
  });

  it('reads parenthesised lists of quoted strings, with commas and spaces inside values', () => {
    expect(parseQuotedList('$L', "('a')")).toEqual(['a']);
    expect(parseQuotedList('$L', "( 'a^^x' , 'b, c' ,'d''e' )")).toEqual(['a^^x', 'b, c', "d'e"]);
  });

  it.each(["'a'", '()', "('a',)", "('a' 'b')", "('a'", "'a')", '(a)', "('a'),('b')"])('refuses %s as a list', (value) => {
    expect(errorOf(() => parseQuotedList('$L', value)).errorCode).toBe('XDSRegistryError');
  });

  it('joins a list split over several Value elements into one OR list', () => {
    expect(parseListSlot('$L', ["('a','b')", "('c')"])).toEqual(['a', 'b', 'c']);
  });

  it('reads bare numbers only', () => {
    expect(parseNumber('$T', ' 20240115 ')).toBe('20240115');
    expect(errorOf(() => parseNumber('$T', "'20240115'")).errorCode).toBe('XDSRegistryError');
  });

  it('requires exactly one Value for single-valued parameters', () => {
    expect(singleValue('$P', ['x'])).toBe('x');
    expect(errorOf(() => singleValue('$P', ['x', 'y'])).errorCode).toBe('XDSStoredQueryParamNumber');
  });

  it('reads coded values code^^scheme', () => {
    expect(parseCodedValue('$C', 'CT^^1.2.840.10008.2.16.4')).toEqual({ code: 'CT', scheme: '1.2.840.10008.2.16.4' });
    for (const bad of ['CT', 'CT^1.2', 'CT^x^1.2', '^^1.2', 'CT^^', 'a^^b^^c']) {
      expect(errorOf(() => parseCodedValue('$C', bad)).errorCode).toBe('XDSRegistryError');
    }
  });
});
