import type { Resource } from 'fhir/r4';
import { escapeAttribute } from '../../xca/xml/escape';
import { elementIndex, elementsOf, isResourceType, primitiveKind, type ElementInfo } from './element-table';
import { FHIR_NS, FhirXmlError } from './errors';
import { divToXml } from './xhtml';

/**
 * FHIR R4 JSON -> FHIR R4 XML (FHIR R4 xml.html, json.html), driven by the R4 element table (element-table.ts).
 *
 * Why our own serialiser rather than the `fhir` npm package (lantanagroup FHIR.js 4.12), which was evaluated:
 * it silently drops valueUuid (uuid is missing from its primitive list) and any JSON property it does not know,
 * reads decimals back as strings, and loses the null placeholders of repeating primitives on the way back
 * (given[1] then carries given[2]'s value next to _given[1]'s extension). Those are data-integrity faults, so
 * this small walker over HL7's own StructureDefinitions (element-table.ts) is the smaller risk.
 *
 * Rules applied here: elements in definition order; primitives as `value` attributes, their `_x` companion's id
 * as an `id` attribute and its extensions as children; Element.id and Extension.url as attributes; contained
 * and Bundle resources wrapped in an element named after their resourceType; Narrative.div as embedded XHTML.
 * Anything the JSON holds that R4 does not define is an error, never dropped silently.
 */

type Json = Record<string, unknown>;
/** What a primitive's `_x` companion may hold: Element's id and extension (FHIR R4 json.html 2.6.2.1). */
const ELEMENT = elementsOf('Element') ?? [];

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function attr(name: string, value: string, path: string): string {
  try {
    return ` ${name}="${escapeAttribute(value)}"`;
  } catch (err) {
    throw new FhirXmlError(err instanceof Error ? err.message : String(err), path);
  }
}

/** A primitive's JSON value as its XML value attribute text (FHIR R4 datatypes.html primitive formats). */
function primitiveText(value: unknown, type: string, path: string): string {
  const kind = primitiveKind(type);
  if (typeof value !== kind) throw new FhirXmlError(`a ${type} must be a JSON ${kind ?? 'primitive'}, found ${typeof value}`, path);
  if (typeof value === 'number' && !Number.isFinite(value)) throw new FhirXmlError(`${String(value)} is not a ${type}`, path);
  return String(value);
}

/** Check every JSON property is an R4 element of the type (or its `_` companion, for primitives only). */
function checkKnown(obj: Json, type: string, path: string): void {
  const index = elementIndex(type);
  for (const key of Object.keys(obj)) {
    if (key === 'resourceType' && isResourceType(type)) continue;
    const companion = key.startsWith('_');
    const info = index?.get(companion ? key.slice(1) : key);
    if (info === undefined || (companion && (primitiveKind(info.type) === undefined || info.attribute))) {
      throw new FhirXmlError(`'${key}' is not an element of this R4 type`, path);
    }
  }
}

function writePrimitive(name: string, type: string, value: unknown, extra: unknown, path: string): string {
  if (extra !== undefined && extra !== null && !isObject(extra)) throw new FhirXmlError(`_${name} must be an object`, path);
  if (type === 'xhtml') {
    if (extra !== undefined && extra !== null) throw new FhirXmlError('Narrative.div takes no id or extension', path);
    return divToXml(primitiveText(value, type, path), path);
  }
  const companion = extra ?? {};
  checkKnown(companion, 'Element', `${path}(_${name})`);
  const id = companion.id === undefined ? '' : attr('id', primitiveText(companion.id, 'string', path), path);
  const valueAttr = value === undefined || value === null ? '' : attr('value', primitiveText(value, type, path), path);
  const extensions = writeChildren(companion, ELEMENT, path);
  if (id === '' && valueAttr === '' && extensions === '') throw new FhirXmlError('a primitive needs a value, an id or an extension', path);
  return extensions === '' ? `<${name}${id}${valueAttr}/>` : `<${name}${id}${valueAttr}>${extensions}</${name}>`;
}

function writeResourceElement(resource: unknown, path: string, namespace: boolean): string {
  if (!isObject(resource) || typeof resource.resourceType !== 'string' || !isResourceType(resource.resourceType)) {
    throw new FhirXmlError(`not an R4 resource (resourceType ${JSON.stringify(isObject(resource) ? resource.resourceType : undefined)})`, path);
  }
  const type = resource.resourceType;
  const elements = elementsOf(type) ?? [];
  checkKnown(resource, type, path);
  const xmlns = namespace ? attr('xmlns', FHIR_NS, path) : '';
  return `<${type}${xmlns}>${writeChildren(resource, elements, path)}</${type}>`;
}

function writeComplex(name: string, type: string, value: unknown, path: string): string {
  if (type === 'Resource') return `<${name}>${writeResourceElement(value, path, false)}</${name}>`;
  if (!isObject(value)) throw new FhirXmlError(`a ${type} must be a JSON object`, path);
  const elements = elementsOf(type);
  if (elements === undefined) throw new FhirXmlError(`unknown R4 type ${type}`, path);
  checkKnown(value, type, path);
  const attrs = elements
    .filter((e) => e.attribute && value[e.name] !== undefined)
    .map((e) => attr(e.name, primitiveText(value[e.name], e.type, `${path}.${e.name}`), path))
    .join('');
  const body = writeChildren(value, elements, path);
  return body === '' ? `<${name}${attrs}/>` : `<${name}${attrs}>${body}</${name}>`;
}

function writeOne(info: ElementInfo, value: unknown, extra: unknown, path: string): string {
  if (primitiveKind(info.type) !== undefined) return writePrimitive(info.name, info.type, value, extra, path);
  return writeComplex(info.name, info.type, value, path);
}

/** The child elements of an object, in the order of `elements` (attribute elements are written by the caller). */
function writeChildren(obj: Json, elements: readonly ElementInfo[], path: string): string {
  let out = '';
  for (const info of elements) {
    if (info.attribute) continue;
    const value = obj[info.name];
    const extra = obj[info.extraKey];
    if (value === undefined && extra === undefined) continue;
    const where = `${path}.${info.name}`;
    if (!info.repeats) {
      if (Array.isArray(value) || Array.isArray(extra)) throw new FhirXmlError('does not repeat: an array is not allowed', where);
      if (value === null && (extra === undefined || extra === null)) throw new FhirXmlError('null is not allowed here', where);
      out += writeOne(info, value, extra, where);
      continue;
    }
    const values = value === undefined ? [] : value;
    const extras = extra === undefined ? [] : extra;
    if (!Array.isArray(values) || !Array.isArray(extras)) throw new FhirXmlError('repeats: an array is required', where);
    if (values.length > 0 && extras.length > 0 && values.length !== extras.length) {
      throw new FhirXmlError(`${info.name} and _${info.name} must have the same length`, where);
    }
    // An empty array writes nothing: R4 json.html forbids empty arrays and XML has no way to say one.
    const count = Math.max(values.length, extras.length);
    for (let i = 0; i < count; i += 1) out += writeOne(info, values[i] as unknown, extras[i] as unknown, `${where}[${i}]`);
  }
  return out;
}

/** The XML declaration every document starts with (UTF-8: FHIR R4 http.html 3.1.0.1.9). */
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/**
 * Serialise an R4 resource as a FHIR XML document (UTF-8, root in the FHIR namespace). Throws FhirXmlError
 * when the JSON is not representable: unknown resource type or element, wrong JSON type, misaligned `_x` arrays.
 */
export function toFhirXml(resource: Resource): string {
  return `${DECLARATION}${writeResourceElement(resource, resource.resourceType, true)}`;
}
