import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeAttribute, decodeText, XmlSyntaxError } from './entities';
import type { XmlAttribute, XmlElement } from './tree';

/**
 * Safe, strict parsing of one SOAP request into a namespace-resolved tree.
 *
 * fast-xml-parser builds the whole document in memory: fine here, because requests to the sandbox are small
 * (an ITI-38 query is a few kilobytes and the HTTP layer refuses bodies over 1 MiB). Entity abuse is shut out in
 * three layers: any DOCTYPE or ENTITY declaration refuses the document outright; the parser's own entity
 * processing is off; xml/entities.ts decodes only the predefined entities and numeric character references.
 */
export { XmlSyntaxError } from './entities';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: '#cdata',
  commentPropName: false,
});

type FxpNode = Record<string, unknown>;

/** Parse UTF-8 bytes (or a string) into the document element. Throws XmlSyntaxError. */
export function parseXml(input: Buffer | string): XmlElement {
  const text = decodeUtf8(input).replace(/\r\n?/g, '\n');
  if (/<!DOCTYPE|<!ENTITY/.test(text)) throw new XmlSyntaxError('DOCTYPE and ENTITY declarations are not accepted');
  checkDeclaration(text);
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) throw new XmlSyntaxError(`not well-formed XML: ${verdict.err.msg} (line ${verdict.err.line})`);
  checkNothingAfterRoot(text);
  const nodes = parser.parse(text) as FxpNode[];
  const roots: XmlElement[] = [];
  for (const node of nodes) {
    const name = nodeName(node);
    if (name === '#text') {
      if (String(node['#text']).trim() !== '') throw new XmlSyntaxError('character data outside the document element');
    } else if (name !== '#cdata' && name !== undefined) {
      roots.push(toElement(node, name, new Map([['xml', XML_NS]])));
    } else if (name === '#cdata') {
      throw new XmlSyntaxError('CDATA outside the document element');
    }
  }
  if (roots.length !== 1 || roots[0] === undefined) throw new XmlSyntaxError(`expected one document element, found ${roots.length}`);
  return roots[0];
}

function decodeUtf8(input: Buffer | string): string {
  if (typeof input === 'string') return input.replace(/^\uFEFF/, '');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(input);
  } catch {
    throw new XmlSyntaxError('request body is not valid UTF-8');
  }
}

/** Only XML 1.0 in UTF-8 is accepted (the HTTP charset and the declaration must agree). */
function checkDeclaration(text: string): void {
  const decl = /^<\?xml\s([^?]*)\?>/.exec(text);
  if (decl === null) return;
  const version = /version\s*=\s*["']([^"']*)["']/.exec(decl[1] ?? '');
  if (version?.[1] !== '1.0') throw new XmlSyntaxError('only XML version 1.0 is accepted');
  const encoding = /encoding\s*=\s*["']([^"']*)["']/.exec(decl[1] ?? '');
  if (encoding !== null && encoding[1]?.toLowerCase() !== 'utf-8') throw new XmlSyntaxError('only UTF-8 encoded XML is accepted');
}

/** fast-xml-parser's validator lets character data after the document element pass; XML 1.0 (Misc*) does not. */
function checkNothingAfterRoot(text: string): void {
  const misc = text.replace(/<!--[\s\S]*?-->/g, '').replace(/<\?[\s\S]*?\?>/g, '');
  if (!/(?:\/>|<\/[^<>\s]+\s*>)\s*$/.test(misc)) throw new XmlSyntaxError('character data after the document element');
}

function nodeName(node: FxpNode): string | undefined {
  return Object.keys(node).find((k) => k !== ':@');
}

function splitName(name: string): [string, string] {
  const parts = name.split(':');
  if (parts.length === 1) return ['', name];
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') throw new XmlSyntaxError(`malformed qualified name "${name}"`);
  return [parts[0] as string, parts[1] as string];
}

function declareNamespaces(rawAttrs: Record<string, string>, parentScope: ReadonlyMap<string, string>): Map<string, string> {
  const scope = new Map(parentScope);
  for (const [name, raw] of Object.entries(rawAttrs)) {
    if (name === 'xmlns') scope.set('', decodeAttribute(raw));
    else if (name.startsWith('xmlns:')) {
      const value = decodeAttribute(raw);
      if (value === '') throw new XmlSyntaxError(`namespace prefix "${name.slice(6)}" bound to the empty name`);
      scope.set(name.slice(6), value);
    }
  }
  return scope;
}

function resolve(prefix: string, scope: ReadonlyMap<string, string>, name: string): string {
  const ns = scope.get(prefix);
  if (ns === undefined) {
    if (prefix === '') return '';
    throw new XmlSyntaxError(`namespace prefix "${prefix}" of "${name}" is not declared`);
  }
  return ns;
}

function toAttributes(rawAttrs: Record<string, string>, scope: ReadonlyMap<string, string>): XmlAttribute[] {
  const out: XmlAttribute[] = [];
  for (const [name, raw] of Object.entries(rawAttrs)) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    const [prefix, local] = splitName(name);
    const ns = prefix === '' ? '' : resolve(prefix, scope, name);
    if (out.some((a) => a.ns === ns && a.local === local)) throw new XmlSyntaxError(`attribute "${name}" is repeated`);
    out.push({ ns, local, value: decodeAttribute(raw) });
  }
  return out;
}

function toElement(node: FxpNode, name: string, parentScope: ReadonlyMap<string, string>): XmlElement {
  const rawAttrs = (node[':@'] ?? {}) as Record<string, string>;
  const scope = declareNamespaces(rawAttrs, parentScope);
  const [prefix, local] = splitName(name);
  const ns = resolve(prefix, scope, name);
  if (ns === XMLNS_NS) throw new XmlSyntaxError('elements must not be in the xmlns namespace');
  const children: XmlElement[] = [];
  let text = '';
  for (const child of (node[name] ?? []) as FxpNode[]) {
    const childName = nodeName(child);
    if (childName === undefined) continue;
    if (childName === '#text') text += decodeText(String(child['#text']));
    else if (childName === '#cdata') text += cdataText(child);
    else children.push(toElement(child, childName, scope));
  }
  return { ns, local, prefix, attributes: toAttributes(rawAttrs, scope), children, text };
}

function cdataText(node: FxpNode): string {
  return ((node['#cdata'] ?? []) as FxpNode[]).map((t) => String(t['#text'] ?? '')).join('');
}
