import { isValidNhsNumber, maskNhsNumbers } from '../../../src/nhs/nhs-number';

describe('isValidNhsNumber', () => {
  it.each(['9000000009', '9000000017', '9000000025', '9000000033', '9000000041', '9000000068', '9000000076', '9000000084', '9000000092', '9434765919'])(
    'accepts the valid number %s',
    (n) => expect(isValidNhsNumber(n)).toBe(true),
  );

  it.each([
    ['wrong check digit', '9000000008'],
    ['check digit would be 10', '9000000050'],
    ['nine digits', '900000000'],
    ['eleven digits', '90000000090'],
    ['letters', '90000000A9'],
    ['spaces', '900 000 0009'],
    ['all zeros', '0000000000'],
    ['empty', ''],
  ])('refuses %s (%s)', (_why, n) => expect(isValidNhsNumber(n)).toBe(false));

  it('agrees with the modulus 11 rule on every check digit of one stem', () => {
    // 900000000 has weighted sum 90 -> 90 mod 11 = 2 -> check 9: only that digit is valid
    const valid = Array.from({ length: 10 }, (_, d) => `900000000${d}`).filter(isValidNhsNumber);
    expect(valid).toEqual(['9000000009']);
  });
});

describe('maskNhsNumbers', () => {
  it('masks plain, spaced and dashed NHS-number shapes', () => {
    expect(maskNhsNumbers('patient 9000000009 and 900 000 0009 and 900-000-0009')).toBe(
      'patient [nhs-number] and [nhs-number] and [nhs-number]',
    );
  });
  it('leaves longer digit runs, OIDs and hex ids alone', () => {
    const text = '{"time":1732382045123,"oid":"2.16.840.1.113883.2.1.4.1","id":"a1234567890b","x":"1.9000000009"}';
    expect(maskNhsNumbers(text)).toBe(text);
  });
});
