/**
 * XML 1.0 escaping for the requests this gateway writes. Values reach us from FHIR search parameters (via
 * search/) and from peers (ObjectRef ids fed back into GetDocuments), so every text and attribute value goes
 * through here; nothing is concatenated raw except a caller's pre-built securityHeader.
 */

/**
 * Characters XML 1.0 forbids anywhere (section 2.2 Char): C0 controls other than TAB/LF/CR, lone surrogates,
 * U+FFFE/U+FFFF. Escaping cannot make them legal, so they are refused.
 */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function assertXmlChars(value: string): void {
  if (FORBIDDEN.test(value)) {
    throw new RangeError('value contains a character that XML 1.0 does not allow');
  }
}

/**
 * Escape element text: &, < and > (the last so that "]]>" can never appear); CR as a character reference so
 * that end-of-line normalisation (XML 1.0 section 2.11) does not change the value.
 */
export function escapeText(value: string): string {
  assertXmlChars(value);
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/**
 * Escape a double-quoted attribute value. TAB/LF/CR are written as character references because attribute-value
 * normalisation (XML 1.0 section 3.3.3) would otherwise turn them into spaces on the receiving side.
 */
export function escapeAttribute(value: string): string {
  return escapeText(value)
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;');
}
