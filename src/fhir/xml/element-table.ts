import table from './r4-elements.json';

/**
 * The FHIR R4 element table both directions of the XML format walk (FHIR R4 xml.html). r4-elements.json is
 * generated from HL7's R4 4.0.1 StructureDefinitions (see its `_generated` note) and keeps, per data type,
 * resource and backbone element, every element in definition order, which is the order XML requires.
 */

/** How a primitive's value is written in JSON (FHIR R4 json.html 2.6.2: numbers and booleans unquoted). */
export type PrimitiveJsonKind = 'string' | 'number' | 'boolean';

/**
 * One element: [name, types, flags]. `types` is one type code, or several joined by '|' for a choice element
 * (name ends in [x]); a backbone element's type is its own path (e.g. "DocumentReference.content"), which is
 * also a key of `types`. Flags: '*' repeats, '@' is an XML attribute (Element.id, Extension.url).
 */
export type ElementEntry = readonly [string, string] | readonly [string, string, string];

export interface ElementTable {
  readonly _generated: string;
  readonly fhirVersion: string;
  readonly primitives: Readonly<Record<string, PrimitiveJsonKind>>;
  readonly resources: readonly string[];
  readonly types: Readonly<Record<string, readonly ElementEntry[]>>;
}

/** One element as the serialisers use it; a choice element appears once per allowed type. */
export interface ElementInfo {
  /** The JSON property / XML element name, e.g. "status", "valueString". */
  readonly name: string;
  /** The JSON key of a primitive's id/extension companion: `_${name}` (FHIR R4 json.html 2.6.2.1). */
  readonly extraKey: string;
  readonly type: string;
  readonly repeats: boolean;
  readonly attribute: boolean;
}

// Via unknown: the JSON import is typed as string[][], the tuples are checked by element-table.test.ts.
const TABLE = table as unknown as ElementTable;
const RESOURCES = new Set(TABLE.resources);
const cache = new Map<string, readonly ElementInfo[]>();
const indexes = new Map<string, ReadonlyMap<string, ElementInfo>>();

function expand(entry: ElementEntry): ElementInfo[] {
  const [name, types, flags = ''] = entry;
  const repeats = flags.includes('*');
  const attribute = flags.includes('@');
  const info = (jsonName: string, type: string): ElementInfo => ({ name: jsonName, extraKey: `_${jsonName}`, type, repeats, attribute });
  if (!name.endsWith('[x]')) return [info(name, types)];
  const stem = name.slice(0, -3);
  return types.split('|').map((type) => info(`${stem}${type.charAt(0).toUpperCase()}${type.slice(1)}`, type));
}

/** The elements of a type (data type, resource or backbone path) in R4 definition order; undefined if unknown. */
export function elementsOf(type: string): readonly ElementInfo[] | undefined {
  const hit = cache.get(type);
  if (hit) return hit;
  const entries = TABLE.types[type];
  if (entries === undefined) return undefined;
  const infos = entries.flatMap(expand);
  cache.set(type, infos);
  return infos;
}

/** The elements of a type by JSON name (see elementsOf); undefined if the type is unknown. */
export function elementIndex(type: string): ReadonlyMap<string, ElementInfo> | undefined {
  const hit = indexes.get(type);
  if (hit) return hit;
  const infos = elementsOf(type);
  if (infos === undefined) return undefined;
  const index = new Map(infos.map((e) => [e.name, e]));
  indexes.set(type, index);
  return index;
}

/** The JSON kind of a primitive type, or undefined when the type is not primitive. */
export function primitiveKind(type: string): PrimitiveJsonKind | undefined {
  return Object.prototype.hasOwnProperty.call(TABLE.primitives, type) ? TABLE.primitives[type] : undefined;
}

/** Whether `name` is a concrete R4 resource type. */
export function isResourceType(name: string): boolean {
  return RESOURCES.has(name);
}

/** The FHIR version the table was built from (4.0.1). */
export const TABLE_FHIR_VERSION = TABLE.fhirVersion;
