import fs from 'node:fs';
import path from 'node:path';
import { transformFileSync } from '@swc/core';
import { projectRoot } from '../../../src/config/paths';

/**
 * Compile a TypeScript module of src/ and every module it requires by relative path into `outDir` (same layout
 * under outDir as under the project root), with @swc/core, so a plain `node` child process can require it.
 * Bare imports (pino, ...) resolve through NODE_PATH=<project>/node_modules in the child.
 */
export function compileModule(entry: string, outDir: string): string {
  const root = projectRoot();
  const done = new Set<string>();
  const pending = [path.resolve(root, entry)];
  while (pending.length > 0) {
    const source = pending.pop() as string;
    if (done.has(source)) continue;
    done.add(source);
    const { code } = transformFileSync(source, {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
      sourceMaps: false,
    });
    const target = path.join(outDir, path.relative(root, source)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, code);
    for (const match of code.matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
      const base = path.resolve(path.dirname(source), match[1] as string);
      pending.push(fs.existsSync(`${base}.ts`) ? `${base}.ts` : path.join(base, 'index.ts'));
    }
  }
  return path.join(outDir, path.relative(root, path.resolve(root, entry))).replace(/\.ts$/, '.js');
}
