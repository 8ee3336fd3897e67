/**
 * FHIR search value syntax (R4 search 3.1.1.4 escaping, 3.1.1.5.5 token): comma-separated OR lists with `\,`, `\|`,
 * `\$` and `\\` escapes, and `system|code` tokens.
 */
export interface Token {
  /** undefined: any system (`code`); '': explicitly no system (`|code`). */
  readonly system: string | undefined;
  readonly code: string;
}

/** Split a parameter value on unescaped commas and unescape each part. */
export function splitOr(raw: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < raw.length; i += 1) {
    const ch = raw[i];
    if (ch === '\\' && i + 1 < raw.length) {
      current += `\\${raw[i + 1]}`;
      i += 1;
    } else if (ch === ',') {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

/** Remove FHIR escapes from one value. */
export function unescapeValue(value: string): string {
  return value.replace(/\\([,|$\\])/g, '$1');
}

/** Parse one (still escaped) token value. */
export function parseToken(value: string): Token {
  const bar = /(?<!\\)\|/.exec(value);
  if (!bar) return { system: undefined, code: unescapeValue(value) };
  return { system: unescapeValue(value.slice(0, bar.index)), code: unescapeValue(value.slice(bar.index + 1)) };
}
