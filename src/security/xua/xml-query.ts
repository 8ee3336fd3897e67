import type { XmlElement } from './xml-tree';

/** Namespace-aware lookups over an XmlElement tree (names are matched by namespace URI, never by prefix). */

/** Direct children with the given namespace URI and local name. */
export function childrenNamed(parent: XmlElement, uri: string, local: string): XmlElement[] {
  return parent.children.filter((c) => c.uri === uri && c.local === local);
}

/** The first direct child with the given name. */
export function childNamed(parent: XmlElement, uri: string, local: string): XmlElement | undefined {
  return parent.children.find((c) => c.uri === uri && c.local === local);
}

/** Every element with the given name in the subtree of `root` (root included), in document order. */
export function descendantsNamed(root: XmlElement, uri: string, local: string): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (element: XmlElement): void => {
    if (element.uri === uri && element.local === local) found.push(element);
    element.children.forEach(visit);
  };
  visit(root);
  return found;
}

/** Every element of the subtree of `root` (root included), in document order. */
export function allElements(root: XmlElement): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (element: XmlElement): void => {
    found.push(element);
    element.children.forEach(visit);
  };
  visit(root);
  return found;
}

/** An attribute's value by local name and namespace URI ('' for an unqualified attribute). */
export function attrValue(element: XmlElement, local: string, uri = ''): string | undefined {
  return element.attributes.find((a) => a.local === local && a.uri === uri)?.value;
}

/** Direct text, trimmed; undefined when empty. */
export function textOf(element: XmlElement | undefined): string | undefined {
  const text = element?.text.trim();
  return text === undefined || text === '' ? undefined : text;
}

/** The namespace declarations in scope at `element` (nearest declaration wins), prefix → URI. */
export function inScopeNamespaces(element: XmlElement): Map<string, string> {
  const scope = new Map<string, string>();
  for (let at: XmlElement | undefined = element; at; at = at.parent) {
    for (const [prefix, uri] of at.declarations) if (!scope.has(prefix)) scope.set(prefix, uri);
  }
  return scope;
}
