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
 */

export type SourceValue = string | RimClassification;

/** Everything a source may read. */
export interface SourceScope {
  readonly entry: RimExtrinsicObject;
  readonly table: DocumentEntryTable;
  readonly context: Readonly<Record<ContextValue, string>>;
  readonly keys: Readonly<Partial<Record<KeyName, string>>>;
  readonly derived: Readonly<Partial<Record<DerivedValue, string>>>;
}

const URN_OID = 'urn:oid:';

function nonEmpty(values: readonly (string | undefined)[]): string[] {
  return values.map((v) => v?.trim()).filter((v): v is string => v !== undefined && v !== '');
}

function bareOid(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v?.toLowerCase().startsWith(URN_OID) ? v.slice(URN_OID.length) : v;
}

/** The code system OID of a coded classification (slot named by the table's coding.schemeSlot). */
export function codingSchemeOf(classification: RimClassification, table: DocumentEntryTable): string | undefined {
  const slot = classification.slots.find((s) => s.name === table.coding.schemeSlot);
  return nonEmpty(slot?.values ?? [])[0];
}

function slotValues(slots: RimExtrinsicObject['slots'], name: string): string[] {
  return nonEmpty(slots.filter((s) => s.name === name).flatMap((s) => s.values));
}

function readRaw(source: RawSource, scope: SourceScope): SourceValue[] {
  const { entry } = scope;
  if ('attribute' in source) return nonEmpty([entry[source.attribute]]);
  if ('context' in source) return nonEmpty([scope.context[source.context]]);
  if ('externalIdentifier' in source) {
    return nonEmpty(entry.externalIdentifiers.filter((x) => x.identificationScheme === source.externalIdentifier).map((x) => x.value));
  }
  if ('classification' in source) {
    const matching = entry.classifications.filter(
      (c) =>
        c.classificationScheme === source.classification &&
        (source.codingScheme === undefined || bareOid(codingSchemeOf(c, scope.table)) === source.codingScheme),
    );
    return source.slot === undefined ? matching : matching.flatMap((c) => slotValues(c.slots, source.slot ?? ''));
  }
  return slotValues(entry.slots, source.slot);
}

function readOne(source: Source, scope: SourceScope): SourceValue[] {
  if ('key' in source) return nonEmpty([scope.keys[source.key]]);
  if ('derived' in source) return nonEmpty([scope.derived[source.derived]]);
  if ('constant' in source) return [source.constant];
  return readRaw(source, scope);
}

/** Values of a source, or of the first source in a list that gives any. */
export function readSource(source: Source | readonly Source[], scope: SourceScope): SourceValue[] {
  for (const one of ([] as Source[]).concat(source)) {
    const values = readOne(one, scope);
    if (values.length > 0) return values;
  }
  return [];
}

/** What kind of values a source gives: whole classifications, or strings. */
export function sourceKind(source: Source | readonly Source[]): 'classification' | 'string' {
  const kinds = new Set(([] as Source[]).concat(source).map((s) => ('classification' in s && s.slot === undefined ? 'classification' : 'string')));
  return kinds.size === 1 && kinds.has('classification') ? 'classification' : 'string';
}

/** True when every clause of a condition holds (a classification compares by its code, nodeRepresentation). */
export function holds(condition: Condition, scope: SourceScope): boolean {
  return condition.all.every(({ source, equals }) =>
    readSource(source, scope).some((v) => (typeof v === 'string' ? v : v.nodeRepresentation?.trim()) === equals),
  );
}

/** True when a source list mixes classification and string sources (a table error). */
export function mixesKinds(source: Source | readonly Source[]): boolean {
  const list = ([] as Source[]).concat(source);
  return list.some((s) => sourceKind(s) === 'classification') && list.some((s) => sourceKind(s) === 'string');
}
