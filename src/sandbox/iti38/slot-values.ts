import { RegistryQueryError } from './registry-error';

/**
 * ebRS slot value syntax of stored query parameters (ITI TF-2 3.18.4.1.2.3.5 "Coding of values"): strings are
 * in single quotes (a quote inside is doubled, as in SQL), numbers (times) are bare digits, and multi-valued
 * parameters are parenthesised, comma-separated lists which may be split over several Value elements.
 * Any other coding is refused with XDSRegistryError naming the slot.
 */
function syntaxError(slot: string, value: string, expected: string): RegistryQueryError {
  return new RegistryQueryError('XDSRegistryError', `slot ${slot}: value ${JSON.stringify(value)} is not ${expected} (ITI TF-2 3.18.4.1.2.3.5)`);
}

/** `'text'` → text; `''` inside stands for one quote. */
export function parseQuotedString(slot: string, value: string): string {
  const match = /^'((?:[^']|'')*)'$/.exec(value.trim());
  if (match === null) throw syntaxError(slot, value, "a single-quoted string ('...')");
  return (match[1] as string).replace(/''/g, "'");
}

/** A bare number (DTM time values are coded as numbers, unquoted). */
export function parseNumber(slot: string, value: string): string {
  const trimmed = value.trim();
  if (!/^[0-9]+$/.test(trimmed)) throw syntaxError(slot, value, 'an unquoted number');
  return trimmed;
}

/** Reads one quoted string from `text` at `pos`; returns the string and the position after its closing quote. */
function readQuoted(text: string, pos: number): { value: string; end: number } | undefined {
  if (text[pos] !== "'") return undefined;
  let out = '';
  let i = pos + 1;
  while (i < text.length) {
    if (text[i] === "'") {
      if (text[i + 1] !== "'") return { value: out, end: i + 1 };
      out += "'";
      i += 2;
    } else {
      out += text[i];
      i += 1;
    }
  }
  return undefined;
}

/** `('a','b')` → [a, b]. At least one element; elements are quoted strings. */
export function parseQuotedList(slot: string, value: string): string[] {
  const text = value.trim();
  const fail = (): RegistryQueryError => syntaxError(slot, value, "a parenthesised list of quoted strings ('a','b')");
  if (!text.startsWith('(') || !text.endsWith(')')) throw fail();
  const items: string[] = [];
  let pos = 1;
  const end = text.length - 1;
  for (;;) {
    while (pos < end && /\s/.test(text[pos] as string)) pos += 1;
    const item = readQuoted(text, pos);
    if (item === undefined || item.end > end) throw fail();
    items.push(item.value);
    pos = item.end;
    while (pos < end && /\s/.test(text[pos] as string)) pos += 1;
    if (pos === end) return items;
    if (text[pos] !== ',') throw fail();
    pos += 1;
  }
}

/** A multi-valued slot: every Value element is a list; together they form one OR list. */
export function parseListSlot(slot: string, values: readonly string[]): string[] {
  return values.flatMap((v) => parseQuotedList(slot, v));
}

/** A single-valued slot must have exactly one Value (else XDSStoredQueryParamNumber). */
export function singleValue(slot: string, values: readonly string[]): string {
  if (values.length !== 1) {
    throw new RegistryQueryError('XDSStoredQueryParamNumber', `slot ${slot} takes a single value; found ${values.length} Value elements`);
  }
  return values[0] as string;
}

/** A coded value `code^^scheme` (ITI TF-2 3.18.4.1.2.3.7.1 note: codes are coded as code^^scheme). */
export interface CodedValue {
  readonly code: string;
  readonly scheme: string;
}

export function parseCodedValue(slot: string, value: string): CodedValue {
  const parts = value.split('^');
  if (parts.length !== 3 || parts[0] === '' || parts[1] !== '' || parts[2] === '') {
    throw new RegistryQueryError('XDSRegistryError', `slot ${slot}: ${JSON.stringify(value)} is not a coded value code^^scheme`);
  }
  return { code: parts[0] as string, scheme: parts[2] as string };
}
