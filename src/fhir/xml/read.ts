import type { Resource } from 'fhir/r4';
import { elementIndex, elementsOf, isResourceType, primitiveKind, type ElementInfo } from './element-table';
import { FHIR_NS, FhirXmlError } from './errors';
import { divFromXml } from './xhtml';
import { parseXmlTree, type XmlLimits, type XmlNode } from './xml-tree';

/**
 * FHIR R4 XML -> FHIR R4 JSON (FHIR R4 xml.html, json.html), the inverse of write.ts, driven by the same element
 * table. Strict where FHIR is: every element in the FHIR namespace and defined for its parent, no text content
 * outside the narrative, a non-repeating element at most once, primitive values of their type's lexical form.
 * Lenient only on element order (R4 requires it of writers; readers lose nothing by accepting any order): the
 * JSON is built in definition order whatever order the XML used.
 */

type Json = Record<string, unknown>;
/** A value read for one element occurrence; `extra` is a primitive's `_x` companion (id, extension). */
interface Occurrence {
  readonly value: unknown;
  readonly extra?: Json;
}

/** Lexical forms of the numeric primitives (FHIR R4 datatypes.html 2.24.0.1 regexes); integers are 32-bit. */
const NUMERIC: Readonly<Record<string, RegExp>> = {
  integer: /^-?(0|[1-9][0-9]*)$/,
  unsignedInt: /^(0|[1-9][0-9]*)$/,
  positiveInt: /^\+?[1-9][0-9]*$/,
  decimal: /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/,
};
const INT32 = { min: -2147483648, max: 2147483647 } as const;

function elementChildren(node: XmlNode, path: string): XmlNode[] {
  const out: XmlNode[] = [];
  for (const child of node.children) {
    if (typeof child !== 'string') out.push(child);
    else if (child.trim() !== '') throw new FhirXmlError('FHIR elements carry no text content (values are in value attributes)', path);
  }
  return out;
}

function checkAttributes(node: XmlNode, allowed: readonly string[], path: string): void {
  for (const key of node.attributes.keys()) {
    // Attributes in other namespaces (xsi:schemaLocation in many published examples) carry no FHIR content.
    if (!key.startsWith('{') && !allowed.includes(key)) throw new FhirXmlError(`attribute '${key}' is not allowed on ${node.local}`, path);
  }
}

/** A value attribute in its JSON form (FHIR R4 datatypes.html: integer types are 32-bit, decimals JSON numbers). */
function primitiveValue(text: string, type: string, path: string): string | number | boolean {
  const kind = primitiveKind(type);
  if (kind === 'boolean') {
    if (text !== 'true' && text !== 'false') throw new FhirXmlError(`'${text}' is not a boolean`, path);
    return text === 'true';
  }
  if (kind !== 'number') return text;
  const value = Number(text);
  const pattern = NUMERIC[type];
  if (pattern === undefined || !pattern.test(text) || !Number.isFinite(value)) throw new FhirXmlError(`'${text}' is not a ${type}`, path);
  if (type !== 'decimal' && (value < INT32.min || value > INT32.max)) throw new FhirXmlError(`${text} is out of range for ${type}`, path);
  return value;
}

function readPrimitive(node: XmlNode, info: ElementInfo, path: string): Occurrence {
  if (info.type === 'xhtml') return { value: divFromXml(node, path) };
  checkAttributes(node, ['value', 'id'], path);
  const extra: Json = {};
  const id = node.attributes.get('id');
  if (id !== undefined) extra.id = id;
  readInto(extra, node, 'Element', path);
  const text = node.attributes.get('value');
  const value = text === undefined ? null : primitiveValue(text, info.type, path);
  if (value === null && Object.keys(extra).length === 0) throw new FhirXmlError('a primitive needs a value, an id or an extension', path);
  return Object.keys(extra).length === 0 ? { value } : { value, extra };
}

function readResourceNode(node: XmlNode, path: string): Json {
  if (node.uri !== FHIR_NS) throw new FhirXmlError(`{${node.uri}}${node.local} is not in the FHIR namespace ${FHIR_NS}`, path);
  if (!isResourceType(node.local)) throw new FhirXmlError(`${node.local} is not an R4 resource type`, path);
  checkAttributes(node, [], path);
  const out: Json = { resourceType: node.local };
  readInto(out, node, node.local, path);
  return out;
}

function readComplex(node: XmlNode, info: ElementInfo, path: string): Json {
  if (info.type === 'Resource') {
    const [inner, ...more] = elementChildren(node, path);
    if (inner === undefined || more.length > 0) throw new FhirXmlError('must hold exactly one resource', path);
    return readResourceNode(inner, path);
  }
  const elements = elementsOf(info.type) ?? [];
  const attributes = elements.filter((e) => e.attribute);
  checkAttributes(node, attributes.map((e) => e.name), path);
  const out: Json = {};
  for (const a of attributes) {
    const text = node.attributes.get(a.name);
    if (text !== undefined) out[a.name] = primitiveValue(text, a.type, `${path}.${a.name}`);
  }
  readInto(out, node, info.type, path);
  return out;
}

/** Read the child elements of `node` into `out`, keyed and ordered by the elements of `type`. */
function readInto(out: Json, node: XmlNode, type: string, path: string): void {
  const elements = elementsOf(type) ?? [];
  const index = elementIndex(type);
  const found = new Map<ElementInfo, Occurrence[]>();
  for (const child of elementChildren(node, path)) {
    const candidate = index?.get(child.local);
    const info = candidate?.attribute === true ? undefined : candidate;
    const where = `${path}.${child.local}`;
    const xhtml = info?.type === 'xhtml';
    if (info === undefined || (!xhtml && child.uri !== FHIR_NS)) throw new FhirXmlError(`{${child.uri}}${child.local} is not an element of this R4 type`, where);
    const list = found.get(info) ?? [];
    if (list.length > 0 && !info.repeats) throw new FhirXmlError('does not repeat but appears more than once', where);
    const at = info.repeats ? `${where}[${list.length}]` : where;
    list.push(primitiveKind(info.type) !== undefined ? readPrimitive(child, info, at) : { value: readComplex(child, info, at) });
    found.set(info, list);
  }
  for (const info of elements) {
    const list = found.get(info);
    if (list === undefined) continue;
    const values = list.map((o) => o.value);
    const extras = list.map((o) => o.extra ?? null);
    const single = !info.repeats;
    if (values.some((v) => v !== null)) out[info.name] = single ? values[0] : values;
    if (extras.some((e) => e !== null)) out[info.extraKey] = single ? extras[0] : extras;
  }
}

/**
 * Parse a FHIR R4 XML document (string or UTF-8 bytes) into the resource's JSON form. Throws FhirXmlError for
 * XML that is not well-formed, too large or too deep (see XmlLimits), has a DOCTYPE, or is not R4 FHIR XML.
 */
export function fromFhirXml(xml: string | Buffer, limits: XmlLimits = {}): Resource {
  const root = parseXmlTree(xml, limits);
  return readResourceNode(root, root.local) as unknown as Resource;
}
