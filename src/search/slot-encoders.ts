import { FacadeError } from '../errors/facade-error';
import { uriToOid } from '../mappings/code-systems';
import type { SearchParameterRule } from '../mappings/search-parameters';
import { quotedList } from './ebrs';
import { parseToken, unescapeValue, type Token } from './fhir-values';

/**
 * Generic encoders from FHIR search values to ebRS slot values, one per `encoding` of
 * mappings/search-parameters.json. Each takes the OR-list of one parameter occurrence.
 */
type Encoder = (rule: SearchParameterRule, param: string, values: readonly string[]) => string;

const FORBIDDEN_IN_HL7 = /[\^&~\\|]/;

function codeSystemOid(param: string, system: string | undefined): string {
  if (system === undefined || system === '') {
    throw new FacadeError('INVALID_PARAMETER', `'${param}' needs a coded value written system|code`, { expression: param });
  }
  const oid = uriToOid(system);
  if (oid === undefined) {
    throw new FacadeError('INVALID_CODE_SYSTEM', `Code system '${system}' of '${param}' has no known OID`, { expression: param });
  }
  return oid;
}

function plain(param: string, value: string): string {
  if (value === '' || FORBIDDEN_IN_HL7.test(value)) {
    throw new FacadeError('INVALID_PARAMETER', `'${param}' has an empty value or one with HL7 delimiters (^ & ~ \\ |)`, { expression: param });
  }
  return value;
}

const stringList: Encoder = (rule, param, values) =>
  quotedList(
    values.map((raw) => {
      const token = parseToken(raw);
      const mapped = rule.valueMap?.[token.code];
      if (mapped === undefined) {
        const allowed = Object.keys(rule.valueMap ?? {}).join(', ');
        throw new FacadeError('INVALID_PARAMETER', `'${token.code}' is not a supported value of '${param}' (supported: ${allowed})`, { expression: param });
      }
      return mapped;
    }),
  );

/** A token, with the rule's default system when none was written. */
function tokenOf(rule: SearchParameterRule, raw: string): Token {
  const token = parseToken(raw);
  return token.system === undefined && rule.defaultSystem !== undefined ? { system: rule.defaultSystem, code: token.code } : token;
}

const codedList: Encoder = (rule, param, values) =>
  quotedList(
    values.map((raw) => {
      const token = tokenOf(rule, raw);
      return `${plain(param, token.code)}^^${codeSystemOid(param, token.system)}`;
    }),
  );

/** One string search value made safe for an ebRS LIKE pattern (no HL7 delimiters, no wildcards). */
export function likeValue(param: string, raw: string): string {
  const value = plain(param, unescapeValue(raw));
  if (/[%_]/.test(value)) throw new FacadeError('INVALID_PARAMETER', `'${param}' may not contain the LIKE wildcards % or _`, { expression: param });
  return value;
}

const like: Encoder = (rule, param, values) => quotedList(values.map((raw) => (rule.pattern ?? '{value}').replace('{value}', likeValue(param, raw))));

const referenceId: Encoder = (rule, param, values) =>
  quotedList(
    values.map((raw) => {
      const token = tokenOf(rule, raw);
      const templates = rule.referenceIdTemplates ?? {};
      const specific = token.system === undefined ? undefined : templates[token.system];
      if (specific !== undefined) return specific.replace('{value}', plain(param, token.code.replace(/^urn:oid:/, '')));
      const oid = codeSystemOid(param, token.system);
      return (templates['*'] ?? '').replace('{value}', plain(param, token.code)).replace('{oid}', oid);
    }),
  );

const ENCODERS: Record<NonNullable<SearchParameterRule['encoding']>, Encoder> = {
  'string-list': stringList,
  'coded-list': codedList,
  like,
  'reference-id': referenceId,
};

/** Encode one occurrence (an OR-list) of a parameter into one ebRS slot value. */
export function encodeSlotValue(rule: SearchParameterRule, param: string, values: readonly string[]): string {
  const encoder = rule.encoding === undefined ? undefined : ENCODERS[rule.encoding];
  if (!encoder) throw new FacadeError('INTERNAL_SERVER_ERROR', `search parameter rule '${rule.name}' has no encoding`);
  return encoder(rule, param, values);
}
