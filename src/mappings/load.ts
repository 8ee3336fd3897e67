import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { fromRoot } from '../config/paths';

/**
 * Loads one declarative table from mappings/ and validates it with ajv against mappings/schemas/<name>.schema.json.
 * A broken table stops startup with a MappingTableError naming the file and the JSON path inside it.
 */
export class MappingTableError extends Error {
  constructor(readonly file: string, readonly details: string) {
    super(`mapping table ${file} is invalid: ${details}`);
    this.name = 'MappingTableError';
  }
}

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);

function describe(errors: readonly ErrorObject[]): string {
  return errors.map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`).join('; ');
}

/**
 * Parse and validate a table. `dir` defaults to the project's mappings/ folder (tests point it elsewhere to
 * prove a broken table is refused).
 */
export function loadMappingTable<T>(name: string, dir: string = fromRoot('mappings')): T {
  const file = path.join(dir, `${name}.json`);
  const schemaFile = fromRoot('mappings', 'schemas', `${name}.schema.json`);
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new MappingTableError(file, err instanceof Error ? err.message : String(err));
  }
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as object;
  const validate = ajv.getSchema(schemaFile) ?? (ajv.addSchema(schema, schemaFile), ajv.getSchema(schemaFile));
  if (!validate) throw new MappingTableError(file, `schema ${schemaFile} could not be compiled`);
  if (!validate(data)) throw new MappingTableError(file, describe(validate.errors ?? []));
  return data as T;
}
