import { escapeAttribute, escapeText } from '../../xca/xml/escape';
import type { XmlElementSpec } from '../../xca/xml/writer';

/**
 * Serialise an element spec without any indentation. A signed assertion is written compact on purpose: no
 * whitespace text nodes inside it, so nothing a pretty-printer or a proxy might "tidy" belongs to the digest.
 * Raw children are not accepted: everything inside a signed assertion goes through the escaper.
 */
export function renderCompact(element: XmlElementSpec): string {
  let out = `<${element.name}`;
  for (const [name, value] of element.attrs ?? []) {
    if (value !== undefined) out += ` ${name}="${escapeAttribute(value)}"`;
  }
  if (element.text !== undefined) return `${out}>${escapeText(element.text)}</${element.name}>`;
  const children = element.children ?? [];
  if (children.length === 0) return `${out}/>`;
  const inner = children
    .map((child) => {
      if ('raw' in child) throw new TypeError('raw XML is not allowed inside a signed assertion');
      return renderCompact(child);
    })
    .join('');
  return `${out}>${inner}</${element.name}>`;
}
