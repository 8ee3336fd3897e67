import { FacadeError } from '../errors/facade-error';
import { findRule, searchParameters, type SearchParameterRule } from '../mappings/search-parameters';
import { isValidNhsNumber } from '../nhs/nhs-number';
import type { RimSlot } from '../xca/model';
import { encodeSlotValue, likeValue } from './slot-encoders';
import { quotedList } from './ebrs';
import { intersect, parseDateSearch, toDtm } from './fhir-date';
import { parseToken, splitOr } from './fhir-values';

/** The ordered name/value pairs of a FHIR search, from a query string or a form body. */
export type SearchParamList = ReadonlyArray<readonly [string, string]>;

/** A parsed, validated ITI-67 search: everything needed to build the stored query for any community. */
export interface Iti67Search {
  readonly nhsNumber: string;
  readonly storedQuery: 'FindDocuments' | 'FindDocumentsByReferenceId';
  /** Query slots other than the patient, already in ebRS syntax. */
  readonly slots: readonly RimSlot[];
  /** The parameters that were understood, normalised, for the Bundle's self link and cache keys. */
  readonly normalised: SearchParamList;
}

/** The one patient of a search, by NHS number, in any accepted spelling (validated: 10 digits, modulus 11). */
export function patientFrom(params: SearchParamList): { nhsNumber: string; param: string } {
  const table = searchParameters().patient;
  const given = params.filter(([name]) => table.parameters.includes(name));
  if (given.length === 0) {
    throw new FacadeError('INVALID_PARAMETER', `A patient is required: ${table.parameters[0]}=${table.system}|<NHS number>`, { expression: table.parameters[0] });
  }
  const [param, raw] = given[0] as readonly [string, string];
  if (given.length > 1 || splitOr(raw).length > 1) {
    throw new FacadeError('INVALID_PARAMETER', 'Exactly one patient may be searched at a time', { expression: param });
  }
  const token = parseToken(raw);
  if (token.system !== table.system) {
    throw new FacadeError('INVALID_PARAMETER', `The patient identifier system must be ${table.system}`, { expression: param });
  }
  if (!isValidNhsNumber(token.code)) {
    throw new FacadeError('INVALID_NHS_NUMBER', 'The NHS number is not valid (10 digits with a modulus 11 check digit)', { expression: param });
  }
  return { nhsNumber: token.code, param };
}

function dateSlots(rule: SearchParameterRule, name: string, values: readonly string[]): RimSlot[] {
  const range = rule.range;
  if (!range) return [];
  const bound = intersect(values.flatMap((v) => splitOr(v).map((one) => parseDateSearch(name, one))));
  const slots: RimSlot[] = [];
  if (bound.from) slots.push({ name: range.from, values: [toDtm(bound.from)] });
  if (bound.to) slots.push({ name: range.to, values: [toDtm(bound.to)] });
  return slots;
}

interface RuleGroup {
  name: string;
  values: string[];
  /** Consumed by a combination (one slot for several parameters). */
  combined?: boolean;
}

/**
 * Parameters given together that share one single-occurrence slot (mappings: `combinations`) become one value;
 * their groups are marked so they do not add slots of their own.
 */
function combinedSlots(groups: Map<SearchParameterRule, RuleGroup>): RimSlot[] {
  const slots: RimSlot[] = [];
  for (const combination of searchParameters().combinations) {
    const members = combination.parameters.map((name) => [...groups.entries()].find(([rule]) => rule.name === name));
    if (members.some((m) => m === undefined)) continue;
    let pattern = combination.pattern;
    for (const member of members) {
      const [rule, group] = member as [SearchParameterRule, RuleGroup];
      const raw = group.values[0] ?? '';
      if (splitOr(raw).length > 1) {
        throw new FacadeError('INVALID_PARAMETER', `'${group.name}' takes a single value when combined with ${combination.parameters.join(' and ')}`, { expression: group.name });
      }
      pattern = pattern.replace(`{${rule.name}}`, likeValue(group.name, raw));
      group.combined = true;
    }
    slots.push({ name: combination.slot, values: [quotedList([pattern])] });
  }
  return slots;
}

/** Group the non-patient parameters by rule, refusing unknown ones unless the request is lenient. */
function groupByRule(params: SearchParamList, lenient: boolean): Map<SearchParameterRule, RuleGroup> {
  const table = searchParameters();
  const groups = new Map<SearchParameterRule, RuleGroup>();
  for (const [name, value] of params) {
    if (table.patient.parameters.includes(name) || table.resultParameters.accepted.includes(name)) continue;
    const rule = findRule(name);
    if (!rule) {
      if (lenient) continue;
      throw new FacadeError('INVALID_PARAMETER', `Unsupported search parameter '${name}'`, { expression: name });
    }
    if (value.trim() === '') throw new FacadeError('INVALID_PARAMETER', `Search parameter '${name}' has no value`, { expression: name });
    const group = groups.get(rule) ?? { name, values: [] };
    if (group.values.length > 0 && rule.type !== 'date' && rule.repeatable !== true) {
      throw new FacadeError('INVALID_PARAMETER', `'${name}' may be given once (use commas for OR): its XDS attribute holds a single value`, { expression: name });
    }
    group.values.push(value);
    groups.set(rule, group);
  }
  return groups;
}

/**
 * Translate ITI-67 search parameters into stored-query slots, driven by mappings/search-parameters.json.
 * Several values in one parameter (commas) are an OR list in one slot; a repeated parameter is a second slot (AND).
 */
export function parseIti67Search(params: SearchParamList, options: { lenient: boolean }): Iti67Search {
  const table = searchParameters();
  const { nhsNumber, param } = patientFrom(params);
  const groups = groupByRule(params, options.lenient);
  let storedQuery = table.defaultStoredQuery;
  const slots: RimSlot[] = combinedSlots(groups);
  const normalised: Array<readonly [string, string]> = [[param, `${table.patient.system}|${nhsNumber}`]];
  for (const rule of table.parameters) {
    const group = groups.get(rule);
    const values = group?.values ?? rule.default ?? [];
    if (values.length === 0) continue;
    for (const v of values) normalised.push([rule.name, v]);
    if (group?.combined === true) continue;
    if (rule.storedQuery) storedQuery = rule.storedQuery;
    if (rule.type === 'date') {
      slots.push(...dateSlots(rule, group?.name ?? rule.name, values));
      continue;
    }
    for (const value of values) {
      slots.push({ name: rule.slot as string, values: [encodeSlotValue(rule, group?.name ?? rule.name, splitOr(value))] });
    }
  }
  return { nhsNumber, storedQuery, slots, normalised };
}
