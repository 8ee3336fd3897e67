import fs from 'node:fs';
import path from 'node:path';
import { ERROR_CATALOGUE } from '../../../src/errors/catalogue';

/** README's error table and the catalogue must say the same thing (STYLE.md habit 2). */
describe('error catalogue', () => {
  const readme = fs.readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
  const rows = new Map<string, { status: number; issue: string; spine: string }>();
  for (const line of readme.split('\n')) {
    const m = /^\|\s*`([A-Z_]+)`\s*\|\s*(\d{3})\s*\|\s*`([a-z-]+)`\s*\|\s*`([A-Z_]+)`\s*\|/.exec(line);
    if (m) rows.set(m[1] as string, { status: Number(m[2]), issue: m[3] as string, spine: m[4] as string });
  }

  it('has a README row for every catalogue entry, with the same status, issue type and Spine code', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      expect({ code, ...rows.get(code) }).toEqual({ code, status: entry.status, issue: entry.issue, spine: entry.spineCode });
    }
  });

  it('has no README row that the catalogue lacks', () => {
    expect([...rows.keys()].filter((k) => !(k in ERROR_CATALOGUE))).toEqual([]);
  });
});
