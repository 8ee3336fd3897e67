import { isXmlChar } from './entities';

/**
 * A tiny XML writer for the sandbox's responses. Every text and attribute value passes through `escapeText` /
 * `escapeAttribute`, which also replace characters XML 1.0 cannot carry (control characters echoed from a
 * request, say) with U+FFFD, so a response is always well-formed whatever it quotes.
 */
export interface XmlNode {
  readonly name: string;
  readonly attrs?: Readonly<Record<string, string | undefined>>;
  readonly children?: readonly XmlNode[];
  readonly text?: string;
}

function legalChars(value: string): string {
  let out = '';
  for (const ch of value) out += isXmlChar(ch.codePointAt(0) ?? 0) ? ch : '\uFFFD';
  return out;
}

/** Escape character data (XML 1.0 section 2.4). `>` is escaped too, so `]]>` can never appear. */
export function escapeText(value: string): string {
  return legalChars(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escape an attribute value for double quotes; tab, newline and CR as references so they survive normalisation. */
export function escapeAttribute(value: string): string {
  return legalChars(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/** Shorthand for building an element. Attributes whose value is undefined are left out. */
export function el(name: string, attrs?: XmlNode['attrs'], children?: readonly XmlNode[], text?: string): XmlNode {
  return { name, ...(attrs ? { attrs } : {}), ...(children ? { children } : {}), ...(text !== undefined ? { text } : {}) };
}

/** Serialise a node (no XML declaration, no indentation). */
export function serialize(node: XmlNode): string {
  const attrs = Object.entries(node.attrs ?? {})
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([k, v]) => ` ${k}="${escapeAttribute(v)}"`)
    .join('');
  const inner = (node.text !== undefined ? escapeText(node.text) : '') + (node.children ?? []).map(serialize).join('');
  return inner === '' ? `<${node.name}${attrs}/>` : `<${node.name}${attrs}>${inner}</${node.name}>`;
}

/** A whole document: XML declaration and the serialised root. */
export function serializeDocument(root: XmlNode): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${serialize(root)}`;
}
