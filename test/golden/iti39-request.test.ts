import fs from 'node:fs';
import path from 'node:path';
import { buildCrossGatewayRetrieve } from '../../src/xca/iti39';
import { GOLDEN_ITI39_ADDRESSING, goldenRetrieveRequests } from './iti39-requests';

/**
 * Golden files for the ITI-39 request envelope (the root part of the MTOM package): any change to the bytes we
 * send shows up as a diff here. Regenerate deliberately with
 * `UPDATE_GOLDEN=1 npx jest test/golden/iti39-request.test.ts` and review the diff.
 */
const DIR = path.join(__dirname, 'iti39');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

describe('ITI-39 request golden files', () => {
  it.each(Object.entries(goldenRetrieveRequests()))('%s matches the builder output', (file, request) => {
    const actual = buildCrossGatewayRetrieve(request, GOLDEN_ITI39_ADDRESSING);
    const target = path.join(DIR, file);
    if (UPDATE) fs.writeFileSync(target, actual);
    expect(fs.existsSync(target)).toBe(true);
    expect(actual).toBe(fs.readFileSync(target, 'utf8'));
  });
});
