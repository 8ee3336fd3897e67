import type {
  Condition,
  ContextValue,
  DerivedValue,
  DocumentEntryTable,
  KeyName,
  RawSource,
  Source,
} from '../mappings/document-entry';
import type { RimClassification, RimExtrinsicObject } from '../xca/model';

/**
 * Reads the values a mapping rule names out of an ebRIM ExtrinsicObject (ITI TF-3 4.2.3.1: attributes, slots,
 * classifications, external identifiers) or out of the mapping context. Values are trimmed; empty ones are dropped.
 *
 * Sources are compiled once per table into readers (compileSource): what a source names is resolved when the table
 * is loaded, and an entry is indexed once (indexEntry: slots, external identifiers and classifications by name),
 * so reading a source is a lookup instead of a scan of the entry per rule (bench:parse profiled the scans).
 */

export type SourceValue = string | RimClassification;

/** Slot values, external identifier values and classifications of one entry by name / scheme (see indexEntry). */
export interface EntryIndex {
  /** Trimmed, non-empty values of every slot of that name, in document order. */
  readonly slots: ReadonlyMap<string, readonly string[]>;
  /** Trimmed, non-empty values of the external identifiers of that scheme. */
  readonly externalIdentifiers: ReadonlyMap<string, readonly string[]>;
  /** Classifications of that scheme, in document order. */
  readonly classifications: ReadonlyMap<string, readonly RimClassification[]>;
}

/** Everything a source may read. */
export interface SourceScope {
  readonly entry: RimExtrinsicObject;
  readonly index: EntryIndex;
  readonly table: DocumentEntryTable;
  readonly context: Readonly<Record<ContextValue, string>>;
  readonly keys: Readonly<Partial<Record<KeyName, string>>>;
  readonly derived: Readonly<Partial<Record<DerivedValue, string>>>;
}

/** Reads one source (or the first of a list that gives values) in a scope. The result must not be changed. */
export type SourceReader = (scope: SourceScope) => readonly SourceValue[];

const URN_OID = 'urn:oid:';
const NONE: readonly never[] = Object.freeze([]);

/** [value trimmed], or none when it is absent or blank. */
function one(value: string | undefined): readonly string[] {
  if (value === undefined) return NONE;
  const v = value.trim();
  return v === '' ? NONE : [v];
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function pushValues(map: Map<string, string[]>, key: string, values: readonly string[]): void {
  for (const value of values) {
    const v = value.trim();
    if (v !== '') pushTo(map, key, v);
  }
}

/** Index an entry once, for every source read from it. */
export function indexEntry(entry: RimExtrinsicObject): EntryIndex {
  const slots = new Map<string, string[]>();
  for (const slot of entry.slots) pushValues(slots, slot.name, slot.values);
  const externalIdentifiers = new Map<string, string[]>();
  for (const x of entry.externalIdentifiers) {
    const v = x.value.trim();
    if (v !== '') pushTo(externalIdentifiers, x.identificationScheme, v);
  }
  const classifications = new Map<string, RimClassification[]>();
  for (const c of entry.classifications) {
    if (c.classificationScheme !== undefined) pushTo(classifications, c.classificationScheme, c);
  }
  return { slots, externalIdentifiers, classifications };
}

function bareOid(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v?.toLowerCase().startsWith(URN_OID) ? v.slice(URN_OID.length) : v;
}

/** The first trimmed, non-empty value of the first slot named `name` (not of a later slot of the same name). */
function firstSlotValue(slots: RimClassification['slots'], name: string): string | undefined {
  for (const slot of slots) {
    if (slot.name !== name) continue;
    for (const value of slot.values) {
      const v = value.trim();
      if (v !== '') return v;
    }
    return undefined;
  }
  return undefined;
}

/** The code system OID of a coded classification (slot named by the table's coding.schemeSlot). */
export function codingSchemeOf(classification: RimClassification, table: DocumentEntryTable): string | undefined {
  return firstSlotValue(classification.slots, table.coding.schemeSlot);
}

/** Trimmed, non-empty values of every slot named `name` of a classification. */
function classificationSlotValues(c: RimClassification, name: string, out: string[]): void {
  for (const slot of c.slots) {
    if (slot.name !== name) continue;
    for (const value of slot.values) {
      const v = value.trim();
      if (v !== '') out.push(v);
    }
  }
}

function compileClassification(source: { readonly classification: string; readonly slot?: string; readonly codingScheme?: string }, table: DocumentEntryTable): SourceReader {
  const { classification: scheme, slot, codingScheme } = source;
  const schemeSlot = table.coding.schemeSlot;
  const matching = (scope: SourceScope): readonly RimClassification[] => {
    const all = scope.index.classifications.get(scheme) ?? NONE;
    if (codingScheme === undefined) return all;
    return all.filter((c) => bareOid(firstSlotValue(c.slots, schemeSlot)) === codingScheme);
  };
  if (slot === undefined) return matching;
  return (scope) => {
    const out: string[] = [];
    for (const c of matching(scope)) classificationSlotValues(c, slot, out);
    return out;
  };
}

function compileRaw(source: RawSource, table: DocumentEntryTable): SourceReader {
  if ('attribute' in source) {
    const { attribute } = source;
    return (scope) => one(scope.entry[attribute]);
  }
  if ('context' in source) {
    const { context } = source;
    return (scope) => one(scope.context[context]);
  }
  if ('externalIdentifier' in source) {
    const { externalIdentifier } = source;
    return (scope) => scope.index.externalIdentifiers.get(externalIdentifier) ?? NONE;
  }
  if ('classification' in source) return compileClassification(source, table);
  const { slot } = source;
  return (scope) => scope.index.slots.get(slot) ?? NONE;
}

function compileOne(source: Source, table: DocumentEntryTable): SourceReader {
  if ('key' in source) {
    const { key } = source;
    return (scope) => one(scope.keys[key]);
  }
  if ('derived' in source) {
    const { derived } = source;
    return (scope) => one(scope.derived[derived]);
  }
  if ('constant' in source) {
    const constant: readonly string[] = Object.freeze([source.constant]);
    return () => constant;
  }
  return compileRaw(source, table);
}

/** A reader of a source, or of the first source in a list that gives any values. */
export function compileSource(source: Source | readonly Source[], table: DocumentEntryTable): SourceReader {
  const readers = ([] as Source[]).concat(source).map((s) => compileOne(s, table));
  const [only] = readers;
  if (readers.length === 1 && only) return only;
  return (scope) => {
    for (const read of readers) {
      const values = read(scope);
      if (values.length > 0) return values;
    }
    return NONE;
  };
}

/** What kind of values a source gives: whole classifications, or strings. */
export function sourceKind(source: Source | readonly Source[]): 'classification' | 'string' {
  const kinds = new Set(([] as Source[]).concat(source).map((s) => ('classification' in s && s.slot === undefined ? 'classification' : 'string')));
  return kinds.size === 1 && kinds.has('classification') ? 'classification' : 'string';
}

/** A test of a condition: every clause holds (a classification compares by its code, nodeRepresentation). */
export function compileCondition(condition: Condition, table: DocumentEntryTable): (scope: SourceScope) => boolean {
  const clauses = condition.all.map(({ source, equals }) => ({ read: compileSource(source, table), equals }));
  return (scope) =>
    clauses.every(({ read, equals }) => read(scope).some((v) => (typeof v === 'string' ? v : v.nodeRepresentation?.trim()) === equals));
}

/** True when a source list mixes classification and string sources (a table error). */
export function mixesKinds(source: Source | readonly Source[]): boolean {
  const list = ([] as Source[]).concat(source);
  return list.some((s) => sourceKind(s) === 'classification') && list.some((s) => sourceKind(s) === 'string');
}
