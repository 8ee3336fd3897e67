import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromRoot } from '../../../src/config/paths';

/** A table type with readonly removed all the way down, so a test can break a copy on purpose. */
export type Mutable<T> = T extends string | number | boolean ? T : { -readonly [K in keyof T]: Mutable<T[K]> };

/**
 * Copy mappings/<name>.json into a fresh temporary folder, let `mutate` break it, and return the folder
 * (loadMappingTable(name, dir) then reads the copy, validated against the project's schema).
 */
export function brokenCopy<T>(name: string, mutate: (table: Mutable<T>) => void): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mappings-${name}-`));
  const table = JSON.parse(fs.readFileSync(fromRoot('mappings', `${name}.json`), 'utf8')) as Mutable<T>;
  mutate(table);
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(table, null, 2));
  return { dir, file };
}
