import fs from 'node:fs';
import path from 'node:path';

let cachedRoot: string | undefined;

/**
 * The project root (the folder holding package.json), found by walking up from this file, so the same code
 * finds mappings/, fhir-profiles/ and sandbox seed data whether it runs from src/ (tests) or dist/src/ (npm start).
 */
export function projectRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'mappings'))) {
      cachedRoot = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`project root not found above ${__dirname}`);
    dir = parent;
  }
}

/** Absolute path of a file under the project root. */
export function fromRoot(...segments: string[]): string {
  return path.join(projectRoot(), ...segments);
}
