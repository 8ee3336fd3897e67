/**
 * One-character tampering of a signed message for the referee tests: `pattern` must match exactly once and capture
 * the value to change; the capture's last character is replaced by a different one of the same kind, so the
 * message stays well-formed and only the signed value differs.
 */
export function changeOneCharacter(xml: string, pattern: RegExp): string {
  const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  const matches = [...xml.matchAll(global)];
  if (matches.length !== 1) throw new Error(`${pattern} matches ${matches.length} times, expected once`);
  const match = matches[0] as RegExpMatchArray;
  const value = match[1];
  if (value === undefined || value === '' || match.index === undefined) throw new Error(`${pattern} has no non-empty capture`);
  const valueAt = match.index + match[0].indexOf(value);
  const last = valueAt + value.length - 1;
  return `${xml.slice(0, last)}${swap(xml.charAt(last))}${xml.slice(last + 1)}`;
}

function swap(char: string): string {
  if (/[0-8]/.test(char)) return String(Number(char) + 1);
  if (char === '9') return '8';
  if (/[a-y]/i.test(char)) return String.fromCharCode(char.charCodeAt(0) + 1);
  if (/z/i.test(char)) return char === 'z' ? 'y' : 'Y';
  return char === 'x' ? 'y' : 'x';
}
