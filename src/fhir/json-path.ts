/**
 * Writes a value into a JSON object at a mapping-table target path: `a.b`, `a[0].b`, and `a[]` (append) as the
 * last segment. Intermediate objects and arrays are created; a value landing on an existing object is merged
 * into it (so `context.sourcePatientInfo.identifier` can follow `context.sourcePatientInfo`).
 */

export type JsonObject = { [key: string]: unknown };

interface Segment {
  readonly name: string;
  /** undefined: plain property; 'append': `[]`; a number: `[n]`. */
  readonly index?: number | 'append';
}

const SEGMENT = /^([A-Za-z]+)(?:\[(\d*)\])?$/;

/** Paths come from the mapping table: each is parsed once (the profile of bench:parse showed it per document). */
const parsed = new Map<string, readonly Segment[]>();

/** Parse a target path; throws on a malformed one (the table schema already forbids them). */
export function parsePath(path: string): readonly Segment[] {
  const known = parsed.get(path);
  if (known) return known;
  const segments = parseUncached(path);
  parsed.set(path, segments);
  return segments;
}

function parseUncached(path: string): Segment[] {
  return path.split('.').map((part, i, all) => {
    const m = SEGMENT.exec(part);
    if (!m?.[1]) throw new Error(`malformed target path '${path}'`);
    if (m[2] === '' && i !== all.length - 1) throw new Error(`'[]' may only end target path '${path}'`);
    return m[2] === undefined ? { name: m[1] } : { name: m[1], index: m[2] === '' ? 'append' : Number(m[2]) };
  });
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function arrayAt(parent: JsonObject, name: string): unknown[] {
  const existing = parent[name];
  if (Array.isArray(existing)) return existing as unknown[];
  const created: unknown[] = [];
  parent[name] = created;
  return created;
}

function place(current: unknown, value: unknown): unknown {
  return isObject(current) && isObject(value) ? { ...current, ...value } : value;
}

/** Set `value` at `path` inside `root`. Appending skips a value equal to one already there. */
export function setPath(root: JsonObject, path: string, value: unknown): void {
  const segments = parsePath(path);
  let node = root;
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment.index === undefined) {
      if (last) node[segment.name] = place(node[segment.name], value);
      else node = isObject(node[segment.name]) ? (node[segment.name] as JsonObject) : (node[segment.name] = {} as JsonObject);
      return;
    }
    const array = arrayAt(node, segment.name);
    if (segment.index === 'append') {
      const json = JSON.stringify(value);
      if (!array.some((v) => JSON.stringify(v) === json)) array.push(value);
      return;
    }
    const at = Math.min(segment.index, array.length); // never leave holes (they would serialise as null)
    if (last) array[at] = place(array[at], value);
    else node = isObject(array[at]) ? (array[at] as JsonObject) : (array[at] = {} as JsonObject);
  });
}
