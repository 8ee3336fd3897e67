import fs from 'node:fs';
import path from 'node:path';

/**
 * The README's configuration reference is checked against the code: every environment variable the configuration
 * (src/config/) or the sandbox CLI (src/sandbox/settings.ts) reads is documented, and the README documents none that
 * nothing reads.
 */
const ROOT = path.join(__dirname, '../../..');
const SOURCES = [...fs.readdirSync(path.join(ROOT, 'src/config')).filter((f) => f.endsWith('.ts')).map((f) => path.join('src/config', f)), 'src/sandbox/settings.ts'];

function variablesReadByCode(): Set<string> {
  const names = new Set<string>();
  for (const file of SOURCES) {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    for (const m of text.matchAll(/env\.([A-Z][A-Z0-9_]+)|env\[['"]([A-Z][A-Z0-9_]+)['"]\]|\(env, '([A-Z][A-Z0-9_]+)'/g)) names.add((m[1] ?? m[2] ?? m[3]) as string);
  }
  return names;
}

function variablesInReadme(): Set<string> {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'));
  const names = new Set<string>();
  for (const line of section.split('\n').filter((l) => l.startsWith('| `'))) {
    const firstCell = line.split('|')[1] ?? '';
    for (const m of firstCell.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) names.add(m[1] as string);
  }
  return names;
}

describe('README configuration reference', () => {
  it('documents every environment variable the code reads', () => {
    const documented = variablesInReadme();
    expect([...variablesReadByCode()].filter((n) => !documented.has(n)).sort()).toEqual([]);
  });

  it('documents no variable that nothing reads', () => {
    const read = variablesReadByCode();
    expect([...variablesInReadme()].filter((n) => !read.has(n)).sort()).toEqual([]);
  });

  it('finds the variables at all (the scan works)', () => {
    expect(variablesReadByCode().size).toBeGreaterThan(25);
  });
});
