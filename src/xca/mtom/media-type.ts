/**
 * A lenient reader of Content-Type values (RFC 2045 §5.1): `type/subtype *(";" name "=" value)`. Real responders
 * send parameter names in any case, values quoted or not, spaces around `=` and `;`, and trailing semicolons
 * (`text/xml;`), so this reads what it can and never throws: a header we cannot read is simply "no parameter".
 */

/** A parsed media type: `type` lower-cased without parameters; parameter names lower-cased, values unquoted. */
export interface MediaType {
  readonly type: string;
  readonly params: Readonly<Record<string, string>>;
}

/** Split on `;` outside double quotes; a backslash inside quotes escapes the next character (RFC 822 quoted-pair). */
function splitParams(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i += 1) {
    const ch = value[i] as string;
    if (quoted && ch === '\\' && i + 1 < value.length) {
      current += ch + (value[i + 1] as string);
      i += 1;
    } else if (ch === '"') {
      quoted = !quoted;
      current += ch;
    } else if (ch === ';' && !quoted) {
      out.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  out.push(current);
  return out;
}

function unquote(raw: string): string {
  const value = raw.trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return value;
}

/** Parse a Content-Type header value. Empty or missing input gives type ''. */
export function parseMediaType(value: string | undefined): MediaType {
  if (value === undefined) return { type: '', params: {} };
  const [head = '', ...rest] = splitParams(value);
  const params: Record<string, string> = {};
  for (const segment of rest) {
    const eq = segment.indexOf('=');
    if (eq <= 0) continue;
    const name = segment.slice(0, eq).trim().toLowerCase();
    // First occurrence wins: a duplicated boundary is a sender bug, and the first is what most stacks use.
    if (name !== '' && !(name in params)) params[name] = unquote(segment.slice(eq + 1));
  }
  return { type: head.trim().toLowerCase(), params };
}

/**
 * True when the HTTP Content-Type announces a MIME multipart body (MTOM/XOP is multipart/related, RFC 2387;
 * any multipart/* is read the same way). False for a plain SOAP body (application/soap+xml, text/xml) whose
 * <Document> carries inline base64, and for a missing header.
 */
export function isMultipart(contentType: string | undefined): boolean {
  return parseMediaType(contentType).type.startsWith('multipart/');
}
