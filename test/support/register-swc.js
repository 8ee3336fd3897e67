'use strict';
/**
 * Lets a child `node` process run the TypeScript sources directly (node -r this-file src/sandbox/cli.ts), compiled
 * in memory with the same SWC settings jest uses. Only for tests that need the sandbox in a process of its own
 * (to measure its memory); never used by src/.
 */
const { addHook } = require('pirates');
const { transformSync } = require('@swc/core');

addHook(
  (code, filename) =>
    transformSync(code, { filename, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' }, sourceMaps: 'inline' }).code,
  { exts: ['.ts'] },
);
