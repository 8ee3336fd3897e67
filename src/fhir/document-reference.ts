import type { DocumentReference, FhirResource, Reference } from 'fhir/r4';
import { nhsNumberSystem } from '../mappings/code-systems';
import { documentEntryTable, KEY_NAMES, type Condition, type DocumentEntryTable, type KeyName, type MappingRule, type TransformParams } from '../mappings/document-entry';
import { MappingTableError } from '../mappings/load';
import { fromRoot } from '../config/paths';
import type { Community, RimExtrinsicObject } from '../xca/model';
import { parseCx } from './hl7v2';
import { binaryId, documentReferenceId } from './ids';
import { compileSetter, type JsonObject, type Setter } from './json-path';
import { compileCondition, compileSource, indexEntry, mixesKinds, sourceKind, type SourceReader, type SourceScope, type SourceValue } from './rim-source';
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

/** One rule resolved when the table is loaded: its source reader, condition, transform and target setter. */
interface CompiledRule {
  readonly rule: MappingRule;
  readonly read: SourceReader;
  /** Index into CompiledTable.conditions, or -1 when the rule always applies. */
  readonly when: number;
  readonly transform: Transform;
  readonly params: TransformParams;
  /** A `[]` target takes every value the rule maps, any other target the first. */
  readonly every: boolean;
  readonly set: Setter;
  readonly extension: MappingRule['extension'];
}

/** The table with its sources, conditions, transforms and target paths resolved once (see compile). */
interface CompiledTable {
  readonly table: DocumentEntryTable;
  readonly keys: Readonly<Record<KeyName, SourceReader>>;
  readonly conditions: readonly ((scope: SourceScope) => boolean)[];
  readonly rules: readonly CompiledRule[];
}

const NO_PARAMS: TransformParams = Object.freeze({});
let compiled: CompiledTable | undefined;

/** Table checks needing the transform registry, then every rule compiled into readers and setters. */
function table(): CompiledTable {
  if (compiled) return compiled;
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
  compiled = compile(t);
  return compiled;
}

function compile(t: DocumentEntryTable): CompiledTable {
  const conditionNames = [...new Set(t.rules.flatMap((rule) => (rule.when === undefined ? [] : [rule.when])))];
  const keys = {} as Record<KeyName, SourceReader>;
  for (const name of KEY_NAMES) keys[name] = compileSource(t.keys[name].source, t);
  return {
    table: t,
    keys,
    conditions: conditionNames.map((name) => compileCondition(t.conditions[name] as Condition, t)),
    rules: t.rules.map((rule) => ({
      rule,
      read: compileSource(rule.source, t),
      when: rule.when === undefined ? -1 : conditionNames.indexOf(rule.when),
      transform: TRANSFORMS[rule.transform],
      params: rule.params ?? NO_PARAMS,
      every: rule.target.endsWith('[]'),
      set: compileSetter(rule.target),
      extension: rule.extension,
    })),
  };
}

type Step<T> = { ok: true; value: T } | { ok: false; reason: string };

function firstString(read: SourceReader, scope: SourceScope): string | undefined {
  const value = read(scope)[0];
  return typeof value === 'string' ? value : undefined;
}

function readKeys(c: CompiledTable, scope: SourceScope, ctx: DocumentReferenceContext): Step<Partial<Record<KeyName, string>>> {
  const keys: Partial<Record<KeyName, string>> = {};
  for (const name of KEY_NAMES) {
    const value = firstString(c.keys[name], scope);
    if (value !== undefined) keys[name] = value;
    else if (REQUIRED_KEYS.includes(name)) return { ok: false, reason: `${c.table.keys[name].xds} is missing` };
  }
  // The patientId (CX) must be the NHS number searched, under the NHS number assigning authority when one is given.
  const cx = parseCx(keys.patientId ?? '');
  const authority = cx.assigningAuthority?.universalId?.replace(/^urn:oid:/i, '');
  if (cx.id !== ctx.nhsNumber || (authority !== undefined && authority !== nhsNumberSystem().oid)) {
    return { ok: false, reason: `${c.table.keys.patientId.xds} is not the NHS number searched` };
  }
  return { ok: true, value: keys };
}

let lastBaseUrl: string | undefined;
let lastTrimmed = '';

/** The base URL without trailing slashes (the last one is remembered: every entry of a search shares it). */
function withoutTrailingSlashes(baseUrl: string): string {
  if (baseUrl !== lastBaseUrl) {
    lastTrimmed = baseUrl.replace(/\/+$/, '');
    lastBaseUrl = baseUrl;
  }
  return lastTrimmed;
}

function deriveIds(keys: Partial<Record<KeyName, string>>, ctx: DocumentReferenceContext, t: DocumentEntryTable): Step<SourceScope['derived']> {
  const resourceId = documentReferenceId(ctx.community.key, keys.entryUUID ?? '');
  if (resourceId === undefined) return { ok: false, reason: `${t.keys.entryUUID.xds} is too long to be carried in a resource id` };
  const direct = binaryId({ communityKey: ctx.community.key, repositoryUniqueId: keys.repositoryUniqueId ?? '', documentUniqueId: keys.uniqueId ?? '' });
  return { ok: true, value: { resourceId, binaryUrl: `${withoutTrailingSlashes(ctx.baseUrl)}/Binary/${direct ?? resourceId}` } };
}

function withoutId(resource: FhirResource): string {
  if (!Object.prototype.hasOwnProperty.call(resource, 'id')) return JSON.stringify(resource);
  const { id: _id, ...rest } = resource;
  return JSON.stringify(rest);
}

/**
 * What the transforms of one entry share: `contained` (identical resources are contained once) and the warnings,
 * each prefixed with the XDS attribute of the rule being applied. One per entry; `params` and `xds` follow the rule
 * being applied.
 */
class EntryEnv implements TransformEnv {
  params: TransformParams = NO_PARAMS;
  xds = '';
  readonly warnings: string[] = [];
  readonly contained: FhirResource[] = [];
  /** JSON without id of each contained resource, written when a resource of the same type comes to be compared. */
  private readonly containedJson: (string | undefined)[] = [];

  constructor(readonly table: DocumentEntryTable) {}

  /** Contain `resource`, or refer to an identical one (same JSON without id: so also of the same type). */
  contain(resource: FhirResource): Reference {
    let json: string | undefined;
    let sameType = 0;
    for (let i = 0; i < this.contained.length; i += 1) {
      const held = this.contained[i] as FhirResource;
      if (held.resourceType !== resource.resourceType) continue;
      sameType += 1;
      json ??= withoutId(resource);
      let heldJson = this.containedJson[i];
      if (heldJson === undefined) {
        heldJson = withoutId(held);
        this.containedJson[i] = heldJson;
      }
      if (heldJson === json) return { reference: `#${held.id ?? ''}` };
    }
    const id = `${resource.resourceType.toLowerCase()}-${sameType + 1}`;
    // id right after resourceType, as FHIR JSON is usually read (an id the resource brought is kept, as it stands)
    const held: Record<string, unknown> = { resourceType: resource.resourceType, id };
    for (const key in resource) if (key !== 'resourceType') held[key] = resource[key as keyof FhirResource];
    this.contained.push(held as unknown as FhirResource);
    this.containedJson.push(undefined);
    return { reference: `#${id}` };
  }

  warn(message: string): void {
    this.warnings.push(`${this.xds} ${message}`);
  }
}

/** Map one source value through a rule's transform (undefined: it does not map). */
function mapOne(transform: Transform, value: SourceValue, env: EntryEnv): unknown {
  if (transform.input === 'all') return undefined;
  if (transform.accepts === 'string') return typeof value === 'string' ? transform.apply(value, env) : undefined;
  return typeof value === 'string' ? undefined : transform.apply(value, env);
}

/**
 * Apply one rule: one value per source value for `[]` targets, else the first value that maps, each written to the
 * target as it is mapped. Returns how many values were written.
 */
function applyRule(c: CompiledRule, values: readonly SourceValue[], env: EntryEnv, doc: JsonObject): number {
  const { transform, extension } = c;
  if (transform.input === 'all') {
    const strings: string[] = [];
    for (const v of values) if (typeof v === 'string') strings.push(v);
    const mapped = transform.apply(strings, env);
    if (mapped === undefined) return 0;
    c.set(doc, extension ? { url: extension.url, [extension.valueType]: mapped } : mapped);
    return 1;
  }
  let written = 0;
  for (const value of values) {
    const mapped = mapOne(transform, value, env);
    if (mapped === undefined) continue;
    c.set(doc, extension ? { url: extension.url, [extension.valueType]: mapped } : mapped);
    written += 1;
    if (!c.every) break;
  }
  return written;
}

function applyRules(c: CompiledTable, scope: SourceScope): Step<{ doc: JsonObject; contained: FhirResource[]; warnings: string[] }> {
  const doc: JsonObject = { resourceType: 'DocumentReference' };
  const env = new EntryEnv(c.table);
  const held: (boolean | undefined)[] = [];
  for (const compiledRule of c.rules) {
    const { rule, when } = compiledRule;
    if (when >= 0) {
      let holds = held[when];
      if (holds === undefined) {
        holds = c.conditions[when]?.(scope) ?? false;
        held[when] = holds;
      }
      if (!holds) continue;
    }
    const values = compiledRule.read(scope);
    env.params = compiledRule.params;
    env.xds = rule.xds;
    // Nothing is written before a required rule fails: it writes only what it mapped, and failing means none.
    const written = applyRule(compiledRule, values, env, doc);
    if (written === 0 && rule.required) return { ok: false, reason: `${rule.xds} is missing or cannot be mapped to ${rule.target}` };
    if (written === 0 && values.length > 0) env.warnings.push(`${rule.xds} could not be mapped to ${rule.target}`);
  }
  return { ok: true, value: { doc, contained: env.contained, warnings: env.warnings } };
}

function map(c: CompiledTable, entry: RimExtrinsicObject, ctx: DocumentReferenceContext): DocumentReferenceResult {
  const base = {
    entry,
    index: indexEntry(entry),
    table: c.table,
    context: { homeCommunityId: ctx.community.homeCommunityId, nhsNumber: ctx.nhsNumber },
    keys: {},
    derived: {},
  };
  const keys = readKeys(c, base, ctx);
  if (!keys.ok) return keys;
  const derived = deriveIds(keys.value, ctx, c.table);
  if (!derived.ok) return derived;
  const built = applyRules(c, { ...base, keys: keys.value, derived: derived.value });
  if (!built.ok) return built;
  // resourceType, id, meta and contained first, then the rest in the order the rules wrote it.
  const { doc, contained } = built.value;
  const ordered: JsonObject = { resourceType: doc.resourceType, id: doc.id, meta: doc.meta };
  if (contained.length > 0) ordered.contained = contained;
  for (const key in doc) if (key !== 'resourceType' && key !== 'id' && key !== 'meta') ordered[key] = doc[key];
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
  const c = table();
  const scope: SourceScope = {
    entry,
    index: indexEntry(entry),
    table: c.table,
    context: { homeCommunityId: community.homeCommunityId, nhsNumber: '' },
    keys: {},
    derived: {},
  };
  const read = (name: KeyName): string | undefined => firstString(c.keys[name], scope);
  const cx = parseCx(read('patientId') ?? '');
  const authority = cx.assigningAuthority?.universalId?.replace(/^urn:oid:/i, '');
  const nhsNumber = authority === undefined || authority === nhsNumberSystem().oid ? cx.id : undefined;
  return { entryUUID: read('entryUUID'), uniqueId: read('uniqueId'), repositoryUniqueId: read('repositoryUniqueId'), ...(nhsNumber ? { nhsNumber } : {}) };
}

/** Load and check the document-entry table now (startup), rather than at the first search. */
export function checkDocumentEntryTable(): void {
  table();
}
