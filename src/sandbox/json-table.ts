import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { fromRoot } from '../config/paths';

/**
 * Loads the sandbox's JSON data (seeds, the XDS registry table) from src/sandbox/seed/ and validates each file
 * with ajv against its schema in src/sandbox/seed/schemas/. Read through `fromRoot` so it works from src/ and
 * dist/ alike. A broken file stops the sandbox with a SandboxDataError naming the file and the JSON path.
 */
export class SandboxDataError extends Error {
  constructor(readonly file: string, readonly details: string) {
    super(`sandbox data ${file} is invalid: ${details}`);
    this.name = 'SandboxDataError';
  }
}

// strictRequired is off because the seed schema lists a document's fields once and requires different subsets of
// them for plain documents and for templates (required next to allOf); every other strict check stays on.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
const compiled = new Map<string, ValidateFunction>();

/** The folder holding the sandbox's data files. */
export function seedDir(): string {
  return fromRoot('src', 'sandbox', 'seed');
}

function describe(errors: readonly ErrorObject[]): string {
  return errors.map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`).join('; ');
}

function validator(schemaName: string): ValidateFunction {
  const schemaFile = path.join(seedDir(), 'schemas', `${schemaName}.schema.json`);
  let validate = compiled.get(schemaFile);
  if (validate === undefined) {
    validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as object);
    compiled.set(schemaFile, validate);
  }
  return validate;
}

/** Parse `file` and validate it against schemas/<schemaName>.schema.json. */
export function readValidatedJson<T>(file: string, schemaName: string): T {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SandboxDataError(file, err instanceof Error ? err.message : String(err));
  }
  const validate = validator(schemaName);
  if (!validate(data)) throw new SandboxDataError(file, describe(validate.errors ?? []));
  return data as T;
}
