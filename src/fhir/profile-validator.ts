import fs from 'node:fs';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { fromRoot } from '../config/paths';

/**
 * Structural validation of what this service returns, against the JSON Schemas in fhir-profiles/ (MHD Minimal
 * DocumentReference with NHS constraints, ITI-67 searchset Bundle, OperationOutcome with Spine coding, ImagingStudy
 * built from a KOS manifest). Used by tests and available to the app for self-checks; it does not replace a FHIR
 * validator (no terminology, no FHIRPath invariants).
 */

export type ProfileName = 'DocumentReference' | 'Bundle' | 'OperationOutcome' | 'ImagingStudy';

export interface ValidationResult {
  readonly valid: boolean;
  readonly errors: string[];
}

const FILES: Readonly<Record<ProfileName, string>> = {
  DocumentReference: 'mhd-minimal-documentreference.schema.json',
  Bundle: 'searchset-bundle.schema.json',
  OperationOutcome: 'operation-outcome.schema.json',
  ImagingStudy: 'imagingstudy.schema.json',
};
const SHARED = ['fhir-datatypes.schema.json'];

let validators: Readonly<Record<ProfileName, ValidateFunction>> | undefined;

function readSchema(file: string): { $id: string } {
  return JSON.parse(fs.readFileSync(fromRoot('fhir-profiles', file), 'utf8')) as { $id: string };
}

/** Compile every schema once; they refer to each other by $id. */
function compiled(): Readonly<Record<ProfileName, ValidateFunction>> {
  if (validators) return validators;
  const ajv = new Ajv({ allErrors: true, strict: true });
  const ids = new Map<string, string>();
  for (const file of [...SHARED, ...Object.values(FILES)]) {
    const schema = readSchema(file);
    ajv.addSchema(schema);
    ids.set(file, schema.$id);
  }
  const get = (profile: ProfileName): ValidateFunction => {
    const validate = ajv.getSchema(ids.get(FILES[profile]) ?? '');
    if (!validate) throw new Error(`fhir-profiles/${FILES[profile]} could not be compiled`);
    return validate;
  };
  validators = {
    DocumentReference: get('DocumentReference'),
    Bundle: get('Bundle'),
    OperationOutcome: get('OperationOutcome'),
    ImagingStudy: get('ImagingStudy'),
  };
  return validators;
}

/** One readable line per ajv error: where, what, and the offending key or allowed values when known. */
function describe(error: ErrorObject): string {
  const where = error.instancePath || '/';
  const params = error.params as { additionalProperty?: string; allowedValue?: unknown; allowedValues?: unknown };
  const extra =
    params.additionalProperty !== undefined
      ? ` '${params.additionalProperty}'`
      : params.allowedValue !== undefined
        ? ` ${JSON.stringify(params.allowedValue)}`
        : params.allowedValues !== undefined
          ? ` ${JSON.stringify(params.allowedValues)}`
          : '';
  return `${where} ${error.message ?? 'is invalid'}${extra}`;
}

/** Validate a resource against one of the service's profiles. */
export function validateResource(resource: unknown, profile: ProfileName): ValidationResult {
  const validate = compiled()[profile];
  if (validate(resource)) return { valid: true, errors: [] };
  return { valid: false, errors: [...new Set((validate.errors ?? []).map(describe))] };
}
