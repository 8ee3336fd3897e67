import type { CodeableConcept, Coding, FhirResource, Identifier, Reference } from 'fhir/r4';
import { codeSystemByKey, isOid, isUri, oidToUri, oidToUrn } from '../mappings/code-systems';
import type { DocumentEntryTable, TransformName, TransformParams } from '../mappings/document-entry';
import type { RimClassification } from '../xca/model';
import { detached } from '../xca/xml/decode';
import { dtmToDateTime, dtmToInstant } from './dtm';
import { parseCx } from './hl7v2';
import { cxToIdentifier, hdToSystem, pidToPatient, xcnToPractitioner, xonToOrganization } from './hl7v2-fhir';
import { codingSchemeOf } from './rim-source';

/**
 * The generic value transforms named by mappings/document-entry.json rules. Each says what it accepts (strings
 * or whole classifications), whether it takes each value or all of them at once, and returns a FHIR value or
 * undefined when the input cannot be mapped (never throws on upstream data).
 */

/** What a transform may use besides its input. */
export interface TransformEnv {
  readonly table: DocumentEntryTable;
  readonly params: TransformParams;
  /** Add a resource to `contained` and get the `#id` reference to it. */
  contain(resource: FhirResource): Reference;
  /** Note a lossy or non-conformant mapping (names, never values: warnings are logged). */
  warn(message: string): void;
}

export type Transform =
  | { readonly accepts: 'string'; readonly input: 'each'; apply(value: string, env: TransformEnv): unknown }
  | { readonly accepts: 'classification'; readonly input: 'each'; apply(value: RimClassification, env: TransformEnv): unknown }
  | { readonly accepts: 'string'; readonly input: 'all'; apply(values: readonly string[], env: TransformEnv): unknown };

const HEX_SHA1 = /^[0-9a-fA-F]{40}$/;
const UNSIGNED_INT = /^\d{1,10}$/;
const LANGUAGE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;
const MAX_UNSIGNED_INT = 2147483647; // FHIR R4 unsignedInt

/** An own property of a table record (never one inherited from Object.prototype, e.g. 'constructor'). */
function own<T>(record: Readonly<Record<string, T>> | undefined, key: string | undefined): T | undefined {
  return record !== undefined && key !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

function each(apply: (value: string, env: TransformEnv) => unknown): Transform {
  return { accepts: 'string', input: 'each', apply };
}

function coded(apply: (value: RimClassification, env: TransformEnv) => unknown): Transform {
  return { accepts: 'classification', input: 'each', apply };
}

/** FHIR system URIs of the code system OIDs seen lately (the same few recur in every entry); bounded, keyed by copies. */
const systemsSeen = new Map<string, string | null>();
const SYSTEMS_SEEN_MAX = 1024;

/** The FHIR system of a codingScheme slot value (OID -> URI through the code-systems table), if it makes a URI. */
function systemOf(value: string): string | undefined {
  let system = systemsSeen.get(value);
  if (system === undefined) {
    const scheme = detached(value);
    const uri = oidToUri(scheme);
    system = isUri(uri) ? uri : null;
    if (systemsSeen.size >= SYSTEMS_SEEN_MAX) systemsSeen.clear();
    systemsSeen.set(scheme, system);
  }
  return system ?? undefined;
}

/** ITI TF-3 4.2.3.1.2: nodeRepresentation = code, Name = display, codingScheme slot = system (OID -> URI). */
function toCoding(c: RimClassification, table: DocumentEntryTable): Coding | undefined {
  const code = c.nodeRepresentation?.trim();
  if (!code) return undefined;
  const scheme = codingSchemeOf(c, table);
  const system = scheme === undefined ? undefined : systemOf(scheme);
  const display = c.name?.trim();
  const coding: Coding = {};
  if (system !== undefined) coding.system = system;
  coding.code = code;
  if (display) coding.display = display;
  return coding;
}

function toCodeableConcept(c: RimClassification, table: DocumentEntryTable): CodeableConcept | undefined {
  const coding = toCoding(c, table);
  return coding ? { coding: [coding] } : undefined;
}

/** An Identifier with the rule's use and system (in that order, as FHIR JSON is usually read) and `value`. */
function withUseAndSystem(params: TransformParams, value: string): Identifier {
  const id: Identifier = {};
  if (params.use) id.use = params.use;
  if (params.system) id.system = params.system;
  id.value = value;
  return id;
}

function identifier(value: string, params: TransformParams): Identifier {
  return withUseAndSystem(params, `${params.valuePrefix ?? ''}${value}`);
}

/**
 * uniqueId: OID -> urn:oid:<oid>; OID^extension -> system urn:oid:<root>, value <extension>; a URI stays. Any other
 * value (ITI TF-3 lets formatCode decide the format; real responders send plain numbers) is kept without a system,
 * with a warning: the document stays findable though its masterIdentifier falls short of UniqueIdIdentifier.
 */
function uniqueIdToIdentifier(value: string, env: TransformEnv): Identifier | undefined {
  const { params } = env;
  const [root = '', extension, ...rest] = value.split('^');
  if (extension !== undefined && rest.length === 0 && isOid(root) && extension.trim() !== '') {
    const id: Identifier = {};
    if (params.use) id.use = params.use;
    id.system = `${params.valuePrefix ?? ''}${root}`;
    id.value = extension.trim();
    return id;
  }
  if (isOid(value)) return identifier(value, params);
  if (isUri(value) && !value.includes('^')) return withUseAndSystem(params, value);
  env.warn('is neither an OID, OID^extension nor a URI: identifier given without a system');
  return params.use ? { use: params.use, value } : { value };
}

/** BCP 47 with the usual case (language lower, script title, region upper): en-us -> en-US. */
function language(value: string): string | undefined {
  if (!LANGUAGE.test(value)) return undefined;
  return value
    .split('-')
    .map((p, i) => (i === 0 ? p.toLowerCase() : p.length === 2 ? p.toUpperCase() : p.length === 4 ? p[0]?.toUpperCase() + p.slice(1).toLowerCase() : p))
    .join('-');
}

function containIf(resource: FhirResource | undefined, env: TransformEnv): Reference | undefined {
  return resource ? env.contain(resource) : undefined;
}

/** referenceIdList CXi -> Reference with identifier, typed by the table's referenceIdTypes (CXi.5). */
function cxiToRelated(value: string, env: TransformEnv): Reference | undefined {
  const cx = parseCx(value);
  if (cx.id === undefined) return undefined;
  const rule = own(env.table.referenceIdTypes.types, cx.typeCode) ?? env.table.referenceIdTypes.default;
  const system = rule.system ?? (rule.systemFromAssigningAuthority ? hdToSystem(cx.assigningAuthority) : undefined);
  const prefix = rule.valuePrefix ?? '';
  const id: Identifier = {
    ...(rule.type && rule.type.length > 0 ? { type: { coding: rule.type.map((c) => ({ ...c })) } } : {}),
    ...(system !== undefined ? { system } : {}),
    value: cx.id.startsWith(prefix) ? cx.id : `${prefix}${cx.id}`,
  };
  return { ...(rule.referenceType ? { type: rule.referenceType } : {}), identifier: id };
}

/** The registry: one entry per TransformName (the table schema's enum is checked against it by a unit test). */
export const TRANSFORMS: Readonly<Record<TransformName, Transform>> = {
  string: each((v) => v),
  identifier: each((v, env) => identifier(v, env.params)),
  uniqueIdToIdentifier: each((v, env) => uniqueIdToIdentifier(v, env)),
  valueMap: each((v, env) => own(own(env.table.valueMaps, env.params.map)?.map, v)),
  identifierReference: each((v, env) => (env.params.systemKey === undefined ? undefined : { identifier: { system: codeSystemByKey(env.params.systemKey).uri, value: v } })),
  oidToUrn: each((v) => oidToUrn(v)),
  codeableConcept: coded((c, env) => toCodeableConcept(c, env.table)),
  coding: coded((c, env) => toCoding(c, env.table)),
  dtmToDateTime: each((v) => dtmToDateTime(v)),
  dtmToInstant: each((v) => dtmToInstant(v)),
  integer: each((v) => (UNSIGNED_INT.test(v) && Number(v) <= MAX_UNSIGNED_INT ? Number(v) : undefined)),
  hexSha1ToBase64: each((v) => (HEX_SHA1.test(v) ? Buffer.from(v, 'hex').toString('base64') : undefined)),
  language: each((v) => language(v)),
  xcnToPractitioner: each((v, env) => containIf(xcnToPractitioner(v), env)),
  xonToOrganization: each((v, env) => containIf(xonToOrganization(v, env.params), env)),
  sourcePatientInfoToPatient: {
    accepts: 'string',
    input: 'all',
    apply: (values, env) => {
      const fields = env.table.sourcePatientInfo;
      return containIf(pidToPatient(values, fields, own(env.table.valueMaps, fields.genderMap)?.map ?? {}), env);
    },
  },
  cxToIdentifier: each((v) => cxToIdentifier(parseCx(v))),
  cxiToRelated: each((v, env) => cxiToRelated(v, env)),
};
