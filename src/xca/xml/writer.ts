import { escapeAttribute, escapeText } from './escape';

/**
 * A tiny XML writer for the few request shapes this gateway sends. Output is indented (two spaces) so golden
 * files read well and diffs stay small; whitespace between elements is insignificant in every schema we write to.
 * Names are trusted (they are our own constants); every attribute value and text is escaped.
 */

/** An element to write. `attrs` keep their order; an undefined value drops the attribute. */
export interface XmlElementSpec {
  readonly name: string;
  readonly attrs?: ReadonlyArray<readonly [string, string | undefined]>;
  readonly text?: string;
  readonly children?: readonly XmlChild[];
}

/** Pre-serialised XML inserted verbatim (e.g. a wsse:Security header built and signed elsewhere). */
export interface RawXml {
  readonly raw: string;
}

export type XmlChild = XmlElementSpec | RawXml;

/** Shorthand constructor for an element spec. */
export function el(
  name: string,
  attrs: XmlElementSpec['attrs'] = [],
  content: string | readonly XmlChild[] = [],
): XmlElementSpec {
  return typeof content === 'string' ? { name, attrs, text: content } : { name, attrs, children: content };
}

function renderAttrs(attrs: XmlElementSpec['attrs']): string {
  let out = '';
  for (const [name, value] of attrs ?? []) {
    if (value !== undefined) out += ` ${name}="${escapeAttribute(value)}"`;
  }
  return out;
}

function renderChild(child: XmlChild, depth: number): string {
  if ('raw' in child) return child.raw;
  const pad = '  '.repeat(depth);
  const open = `${pad}<${child.name}${renderAttrs(child.attrs)}`;
  if (child.text !== undefined) return `${open}>${escapeText(child.text)}</${child.name}>`;
  const children = child.children ?? [];
  if (children.length === 0) return `${open}/>`;
  const inner = children.map((c) => renderChild(c, depth + 1)).join('\n');
  return `${open}>\n${inner}\n${pad}</${child.name}>`;
}

/** Serialise an element tree (no XML declaration) starting at the given indentation depth. */
export function renderXml(root: XmlElementSpec, depth = 0): string {
  return renderChild(root, depth);
}
