import fs from 'node:fs';
import path from 'node:path';
import { buildCrossGatewayQuery } from '../../src/xca/iti38/request';
import { GOLDEN_ADDRESSING, goldenQueries } from './iti38-queries';

/**
 * Golden files for the ITI-38 requests: any change to the bytes we send shows up as a diff here.
 * Regenerate deliberately with `UPDATE_GOLDEN=1 npx jest test/golden/iti38-request.test.ts` and review the diff.
 */
const DIR = path.join(__dirname, 'iti38');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

describe('ITI-38 request golden files', () => {
  it.each(Object.entries(goldenQueries()))('%s matches the builder output', (file, query) => {
    const actual = buildCrossGatewayQuery(query, GOLDEN_ADDRESSING);
    const target = path.join(DIR, file);
    if (UPDATE) fs.writeFileSync(target, actual);
    expect(fs.existsSync(target)).toBe(true);
    expect(actual).toBe(fs.readFileSync(target, 'utf8'));
  });
});
