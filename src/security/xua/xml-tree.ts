import { SaxesParser, type SaxesAttributeNS, type SaxesTagNS } from 'saxes';

/**
 * A small, safe, synchronous XML reader for security headers and assertions. Why not the streaming reader of
 * src/xca/xml: verification needs the whole (small) message at once, the elements' source offsets (to hand the
 * exact ds:Signature to xml-crypto) and every in-scope namespace declaration. saxes never expands a DTD; we go
 * further and refuse any DOCTYPE outright, so no entity tricks (XXE, billion laughs) reach xml-crypto's parser.
 */

export interface XmlAttr {
  readonly uri: string;
  readonly local: string;
  readonly name: string;
  readonly value: string;
}

export interface XmlElement {
  readonly uri: string;
  readonly local: string;
  /** The qualified name as written. */
  readonly name: string;
  /** Attributes other than namespace declarations. */
  readonly attributes: readonly XmlAttr[];
  /** Namespace declarations made on this element: prefix ('' for the default) → URI. */
  readonly declarations: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** Concatenated direct text (text and CDATA; comments dropped, as exclusive c14n drops them). */
  readonly text: string;
  /** Offsets of the element in the source string: start of `<`, end just past the closing `>`. */
  readonly start: number;
  readonly end: number;
  readonly parent: XmlElement | undefined;
}

/** Not well-formed, a DOCTYPE, too deep or too big. */
export class XmlTreeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlTreeError';
  }
}

/** Limits on what we parse: a SOAP request with a security header is a few tens of kilobytes. */
export const XML_TREE_LIMITS = { maxChars: 4 * 1024 * 1024, maxDepth: 64 } as const;

interface Mutable {
  uri: string;
  local: string;
  name: string;
  attributes: XmlAttr[];
  declarations: Map<string, string>;
  children: Mutable[];
  text: string;
  start: number;
  end: number;
  parent: Mutable | undefined;
}

function toElement(tag: SaxesTagNS, start: number, parent: Mutable | undefined): Mutable {
  const attributes: XmlAttr[] = [];
  for (const attr of Object.values(tag.attributes as Record<string, SaxesAttributeNS>)) {
    if (attr.prefix === 'xmlns' || attr.name === 'xmlns') continue;
    attributes.push({ uri: attr.uri, local: attr.local, name: attr.name, value: attr.value });
  }
  const declarations = new Map(Object.entries(tag.ns ?? {}));
  return { uri: tag.uri, local: tag.local, name: tag.name, attributes, declarations, children: [], text: '', start, end: start, parent };
}

/** Parse a whole document into an element tree. Throws XmlTreeError. */
export function parseXmlTree(xml: string): XmlElement {
  if (xml.length > XML_TREE_LIMITS.maxChars) throw new XmlTreeError(`document is larger than ${XML_TREE_LIMITS.maxChars} characters`);
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: Mutable[] = [];
  let root: Mutable | undefined;
  const fail = (message: string): never => {
    throw new XmlTreeError(message);
  };
  parser.on('error', (err) => fail(`not well-formed XML (${err.message})`));
  parser.on('doctype', () => fail('a DOCTYPE is not allowed'));
  parser.on('opentagstart', () => {
    if (stack.length >= XML_TREE_LIMITS.maxDepth) fail(`elements nest deeper than ${XML_TREE_LIMITS.maxDepth}`);
  });
  parser.on('opentag', (tag) => {
    // position is a plain index into the string (we write it in one chunk); the tag starts at the last '<'.
    const start = xml.lastIndexOf('<', parser.position - 1);
    const element = toElement(tag, start, stack[stack.length - 1]);
    if (element.parent) element.parent.children.push(element);
    else root = element;
    stack.push(element);
  });
  parser.on('closetag', () => {
    const element = stack.pop();
    if (element) element.end = parser.position;
  });
  const addText = (text: string): void => {
    const top = stack[stack.length - 1];
    if (top) top.text += text;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  try {
    parser.write(xml).close();
  } catch (err) {
    if (err instanceof XmlTreeError) throw err;
    fail(`not well-formed XML (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!root) throw new XmlTreeError('no root element');
  return root;
}
