/**
 * Strict decoding of character and entity references (XML 1.0 sections 4.1 and 4.6). The parser runs with its
 * own entity processing off; the only references accepted are the five predefined entities and numeric
 * character references that name a legal XML character. Anything else (`&foo;`, a bare `&`) is a well-formedness
 * error, so no request can make the sandbox expand an entity it did not expect.
 */
export class XmlSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlSyntaxError';
  }
}

const REFERENCE = /&(?:#x([0-9A-Fa-f]{1,6})|#([0-9]{1,7})|(lt|gt|amp|apos|quot));/g;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

/** XML 1.0 `Char` production (section 2.2). */
export function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

function decodeOne(hex: string | undefined, dec: string | undefined, name: string | undefined): string {
  if (name !== undefined) return PREDEFINED[name] ?? '';
  const cp = hex !== undefined ? parseInt(hex, 16) : Number(dec);
  if (!isXmlChar(cp)) throw new XmlSyntaxError(`character reference to an illegal XML character (${cp})`);
  return String.fromCodePoint(cp);
}

/** Decode references in character data. */
export function decodeText(raw: string): string {
  if (raw.replace(REFERENCE, '').includes('&')) throw new XmlSyntaxError('undeclared entity or bare "&" in character data');
  return raw.replace(REFERENCE, (_m, hex?: string, dec?: string, name?: string) => decodeOne(hex, dec, name));
}

/** Decode an attribute value: refuse `<`, normalise literal white space (section 3.3.3), then decode references. */
export function decodeAttribute(raw: string): string {
  if (raw.includes('<')) throw new XmlSyntaxError('"<" is not allowed in an attribute value');
  return decodeText(raw.replace(/[\t\n\r]/g, ' '));
}
