/**
 * A namespace-resolved XML element tree: what the sandbox reads requests into. fast-xml-parser knows prefixes,
 * not namespaces, so xml/parse.ts resolves every prefix against its in-scope declarations (Namespaces in XML 1.0
 * section 6) and hands the rest of the sandbox elements named by (namespace URI, local name).
 */
export interface XmlAttribute {
  /** Namespace URI; '' for unprefixed attributes (they are in no namespace). */
  readonly ns: string;
  readonly local: string;
  readonly value: string;
}

export interface XmlElement {
  readonly ns: string;
  readonly local: string;
  /** The prefix as written, kept only for messages. */
  readonly prefix: string;
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlElement[];
  /** Concatenated character data (text and CDATA) directly inside this element. */
  readonly text: string;
}

/** `{ns}local`, the notation fault reasons use (Clark notation). */
export function qname(ns: string, local: string): string {
  return ns === '' ? local : `{${ns}}${local}`;
}

/** True when the element has this namespace and local name. */
export function isElement(el: XmlElement, ns: string, local: string): boolean {
  return el.ns === ns && el.local === local;
}

/** The value of an attribute (no namespace unless `ns` given), or undefined. */
export function attr(el: XmlElement, local: string, ns = ''): string | undefined {
  return el.attributes.find((a) => a.local === local && a.ns === ns)?.value;
}

/** Child elements with this namespace and local name. */
export function childrenNamed(el: XmlElement, ns: string, local: string): XmlElement[] {
  return el.children.filter((c) => isElement(c, ns, local));
}
