/**
 * NHS number validation: 10 digits, modulus 11 check digit (weights 10..2 on the first nine digits;
 * check = 11 - (sum mod 11), 11 -> 0, 10 -> invalid). See NHS Data Dictionary "NHS Number".
 * All-zero (and any repeated single digit, which passes mod 11 only for 0) is refused.
 */
export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';

export function isValidNhsNumber(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  if (/^(\d)\1{9}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += Number(value[i]) * (10 - i);
  const remainder = 11 - (sum % 11);
  const check = remainder === 11 ? 0 : remainder;
  if (check === 10) return false;
  return check === Number(value[9]);
}

/** Anything shaped like an NHS number (10 digits, optionally spaced 3-3-4) standing on its own. */
const NHS_NUMBER_LIKE = /(?<![\w.-])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\w.-])/g;

/** Mask NHS-number-shaped digit runs in free text (log lines, upstream diagnostics shown to callers). */
export function maskNhsNumbers(text: string): string {
  return text.replace(NHS_NUMBER_LIKE, '[nhs-number]');
}
