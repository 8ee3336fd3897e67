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

/** Writes one value at a parsed target path (see compileSetter). */
export type Setter = (root: JsonObject, value: unknown) => void;

/** True when `array` already holds a value equal to `value` (as JSON). */
function holdsEqual(array: readonly unknown[], value: unknown): boolean {
  if (array.length === 0) return false;
  // A JSON string only equals a JSON string: compare strings directly, stringify only objects and numbers.
  if (typeof value === 'string') return array.includes(value);
  const json = JSON.stringify(value);
  for (const v of array) if (typeof v !== 'string' && JSON.stringify(v) === json) return true;
  return false;
}

/**
 * A setter for one target path, parsed once (mapping rules compile theirs when the table is loaded). Appending
 * skips a value equal to one already there.
 */
export function compileSetter(path: string): Setter {
  const segments = parsePath(path);
  const lastAt = segments.length - 1;
  return (root, value) => {
    let node = root;
    for (let i = 0; i <= lastAt; i += 1) {
      const segment = segments[i] as Segment;
      const last = i === lastAt;
      const { name, index } = segment;
      if (index === undefined) {
        if (last) node[name] = place(node[name], value);
        else {
          const next = node[name];
          node = isObject(next) ? next : (node[name] = {} as JsonObject);
        }
        continue;
      }
      const array = arrayAt(node, name);
      if (index === 'append') {
        if (!holdsEqual(array, value)) array.push(value);
        return;
      }
      const at = Math.min(index, array.length); // never leave holes (they would serialise as null)
      if (last) array[at] = place(array[at], value);
      else {
        const next = array[at];
        node = isObject(next) ? next : (array[at] = {} as JsonObject);
      }
    }
  };
}

const setters = new Map<string, Setter>();

/** Set `value` at `path` inside `root`. Appending skips a value equal to one already there. */
export function setPath(root: JsonObject, path: string, value: unknown): void {
  let set = setters.get(path);
  if (!set) {
    set = compileSetter(path);
    setters.set(path, set);
  }
  set(root, value);
}
