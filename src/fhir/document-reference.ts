import type { DocumentReference, FhirResource, Reference } from 'fhir/r4';
import { nhsNumberSystem } from '../mappings/code-systems';
import { documentEntryTable, KEY_NAMES, type DocumentEntryTable, type KeyName, type MappingRule } from '../mappings/document-entry';
import { MappingTableError } from '../mappings/load';
import { fromRoot } from '../config/paths';
import type { Community, RimExtrinsicObject } from '../xca/model';
import { parseCx } from './hl7v2';
import { binaryId, documentReferenceId } from './ids';
import { setPath, type JsonObject } from './json-path';
import { holds, mixesKinds, readSource, sourceKind, type SourceScope, type SourceValue } from './rim-source';
import { TRANSFORMS, type Transform, type TransformEnv } from './transforms';

/**
 * ebRIM ExtrinsicObject (an XDS DocumentEntry from ITI-38) -> FHIR R4 DocumentReference (MHD Minimal, UK Core;
 * MADO KOS when the table's `kos` condition holds). All knowledge of XDS lives in mappings/document-entry.json:
 * this file reads the keys, builds the ids, then walks the rules (source -> transform -> target path).
 */

export interface DocumentReferenceContext {
  /** The community that answered (its key goes into the ids; its homeCommunityId is the fallback `home`). */
  readonly community: Community;
  /** The NHS number searched: the subject, and what the entry's patientId must be. */
  readonly nhsNumber: string;
  /** Base URL of this FHIR server, e.g. http://localhost:8080/fhir (Binary URLs are built on it). */
  readonly baseUrl: string;
}

/** A mapped resource (with warnings naming elements that were dropped) or the reason the entry was left out. */
export type DocumentReferenceResult =
  | { readonly ok: true; readonly resource: DocumentReference; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly reason: string };

const REQUIRED_KEYS: readonly KeyName[] = ['entryUUID', 'uniqueId', 'repositoryUniqueId', 'patientId'];
let checked: DocumentEntryTable | undefined;

/** Table checks needing the transform registry: each rule's transform accepts what its source gives. */
function table(): DocumentEntryTable {
  if (checked) return checked;
  const t = documentEntryTable();
  const file = fromRoot('mappings', 'document-entry.json');
  t.rules.forEach((rule, i) => {
    const kind = sourceKind(rule.source);
    if (mixesKinds(rule.source) || TRANSFORMS[rule.transform].accepts !== kind) {
      throw new MappingTableError(file, `/rules/${i}/transform '${rule.transform}' does not accept the ${kind} values of its source`);
    }
  });
  for (const name of KEY_NAMES) {
    if (sourceKind(t.keys[name].source) !== 'string') throw new MappingTableError(file, `/keys/${name}/source must give strings`);
  }
  checked = t;
  return t;
}

type Step<T> = { ok: true; value: T } | { ok: false; reason: string };

function readKeys(scope: SourceScope, ctx: DocumentReferenceContext): Step<Partial<Record<KeyName, string>>> {
  const keys: Partial<Record<KeyName, string>> = {};
  for (const name of KEY_NAMES) {
    const key = scope.table.keys[name];
    const value = readSource(key.source, scope)[0];
    if (typeof value === 'string') keys[name] = value;
    else if (REQUIRED_KEYS.includes(name)) return { ok: false, reason: `${key.xds} is missing` };
  }
  // The patientId (CX) must be the NHS number searched, under the NHS number assigning authority when one is given.
  const cx = parseCx(keys.patientId ?? '');
  const authority = cx.assigningAuthority?.universalId?.replace(/^urn:oid:/i, '');
  if (cx.id !== ctx.nhsNumber || (authority !== undefined && authority !== nhsNumberSystem().oid)) {
    return { ok: false, reason: `${scope.table.keys.patientId.xds} is not the NHS number searched` };
  }
  return { ok: true, value: keys };
}

function deriveIds(keys: Partial<Record<KeyName, string>>, ctx: DocumentReferenceContext, t: DocumentEntryTable): Step<SourceScope['derived']> {
  const resourceId = documentReferenceId(ctx.community.key, keys.entryUUID ?? '');
  if (resourceId === undefined) return { ok: false, reason: `${t.keys.entryUUID.xds} is too long to be carried in a resource id` };
  const direct = binaryId({ communityKey: ctx.community.key, repositoryUniqueId: keys.repositoryUniqueId ?? '', documentUniqueId: keys.uniqueId ?? '' });
  return { ok: true, value: { resourceId, binaryUrl: `${ctx.baseUrl.replace(/\/+$/, '')}/Binary/${direct ?? resourceId}` } };
}

function applyEach(transform: Transform, value: SourceValue, env: TransformEnv): unknown {
  if (transform.input === 'all') return undefined;
  if (transform.accepts === 'string') return typeof value === 'string' ? transform.apply(value, env) : undefined;
  return typeof value === 'string' ? undefined : transform.apply(value, env);
}

/** Values a rule produces: one per source value for `[]` targets, else the first value that maps. */
function produce(rule: MappingRule, values: readonly SourceValue[], env: TransformEnv): unknown[] {
  const transform = TRANSFORMS[rule.transform];
  if (transform.input === 'all') {
    const mapped = transform.apply(values.filter((v): v is string => typeof v === 'string'), env);
    return mapped === undefined ? [] : [mapped];
  }
  const out: unknown[] = [];
  for (const value of values) {
    const mapped = applyEach(transform, value, env);
    if (mapped === undefined) continue;
    out.push(mapped);
    if (!rule.target.endsWith('[]')) break;
  }
  return out;
}

function withoutId(resource: FhirResource): string {
  const { id: _id, ...rest } = resource;
  return JSON.stringify(rest);
}

/** `contained` plus the function transforms use to add to it (identical resources are contained once). */
function containment(): { contained: FhirResource[]; contain: (resource: FhirResource) => Reference } {
  const contained: FhirResource[] = [];
  const contain = (resource: FhirResource): Reference => {
    const json = withoutId(resource);
    const same = contained.find((r) => withoutId(r) === json);
    if (same) return { reference: `#${same.id ?? ''}` };
    const type = resource.resourceType.toLowerCase();
    const id = `${type}-${contained.filter((r) => r.resourceType === resource.resourceType).length + 1}`;
    const { resourceType, ...rest } = resource;
    contained.push({ resourceType, id, ...rest } as FhirResource); // id right after resourceType, as FHIR JSON is usually read
    return { reference: `#${id}` };
  };
  return { contained, contain };
}

function applyRules(scope: SourceScope): Step<{ doc: JsonObject; contained: FhirResource[]; warnings: string[] }> {
  const doc: JsonObject = { resourceType: 'DocumentReference' };
  const { contained, contain } = containment();
  const warnings: string[] = [];
  for (const rule of scope.table.rules) {
    const condition = rule.when === undefined ? undefined : scope.table.conditions[rule.when];
    if (condition && !holds(condition, scope)) continue;
    const values = readSource(rule.source, scope);
    const warn = (message: string): void => void warnings.push(`${rule.xds} ${message}`);
    const outputs = produce(rule, values, { table: scope.table, params: rule.params ?? {}, contain, warn });
    if (outputs.length === 0 && rule.required) return { ok: false, reason: `${rule.xds} is missing or cannot be mapped to ${rule.target}` };
    if (outputs.length === 0 && values.length > 0) warnings.push(`${rule.xds} could not be mapped to ${rule.target}`);
    for (const value of outputs) setPath(doc, rule.target, rule.extension ? { url: rule.extension.url, [rule.extension.valueType]: value } : value);
  }
  return { ok: true, value: { doc, contained, warnings } };
}

function map(t: DocumentEntryTable, entry: RimExtrinsicObject, ctx: DocumentReferenceContext): DocumentReferenceResult {
  const base = { entry, table: t, context: { homeCommunityId: ctx.community.homeCommunityId, nhsNumber: ctx.nhsNumber }, keys: {}, derived: {} };
  const keys = readKeys(base, ctx);
  if (!keys.ok) return keys;
  const derived = deriveIds(keys.value, ctx, t);
  if (!derived.ok) return derived;
  const built = applyRules({ ...base, keys: keys.value, derived: derived.value });
  if (!built.ok) return built;
  const { resourceType, id, meta, ...rest } = built.value.doc;
  const ordered = { resourceType, id, meta, ...(built.value.contained.length > 0 ? { contained: built.value.contained } : {}), ...rest };
  // The rules built plain JSON; the table and tests (validateResource) keep it to the DocumentReference shape.
  return { ok: true, resource: ordered as unknown as DocumentReference, warnings: built.value.warnings };
}

/**
 * Map one DocumentEntry. Never throws on upstream data: an entry that cannot be mapped gives `{ ok: false, reason }`
 * (reasons name XDS attributes, never values, so they are safe to log and to show). A broken mapping table
 * (MappingTableError) is a deployment error and is thrown.
 */
export function toDocumentReference(entry: RimExtrinsicObject, ctx: DocumentReferenceContext): DocumentReferenceResult {
  const t = table(); // outside the try: a broken table is not the entry's fault
  try {
    return map(t, entry, ctx);
  } catch {
    return { ok: false, reason: 'the entry could not be mapped (unexpected content)' };
  }
}

/** The routing keys of one DocumentEntry (read through the table's `keys`), for reads and retrieves. */
export interface DocumentEntryKeys {
  readonly entryUUID?: string;
  readonly uniqueId?: string;
  readonly repositoryUniqueId?: string;
  /** The patientId's id when it is an NHS number CX (or has no assigning authority). */
  readonly nhsNumber?: string;
}

/** Read the keys of an entry without mapping it (a read does not know the patient beforehand). */
export function documentEntryKeys(entry: RimExtrinsicObject, community: Community): DocumentEntryKeys {
  const t = table();
  const scope: SourceScope = { entry, table: t, context: { homeCommunityId: community.homeCommunityId, nhsNumber: '' }, keys: {}, derived: {} };
  const read = (name: KeyName): string | undefined => {
    const value = readSource(t.keys[name].source, scope)[0];
    return typeof value === 'string' ? value : undefined;
  };
  const cx = parseCx(read('patientId') ?? '');
  const authority = cx.assigningAuthority?.universalId?.replace(/^urn:oid:/i, '');
  const nhsNumber = authority === undefined || authority === nhsNumberSystem().oid ? cx.id : undefined;
  return { entryUUID: read('entryUUID'), uniqueId: read('uniqueId'), repositoryUniqueId: read('repositoryUniqueId'), ...(nhsNumber ? { nhsNumber } : {}) };
}

/** Load and check the document-entry table now (startup), rather than at the first search. */
export function checkDocumentEntryTable(): void {
  table();
}
