import fs from 'node:fs';
import path from 'node:path';
import { buildRetrieveImagingDocumentSet } from '../../src/xca/rad75';
import { GOLDEN_RAD75_ADDRESSING, goldenImagingRequests } from './rad75-requests';

/**
 * Golden files for the RAD-75 request envelope (the root part of the MTOM package): any change to the bytes we
 * send, the transfer syntaxes of mappings/imaging.json included, shows up as a diff here. Regenerate deliberately with
 * `UPDATE_GOLDEN=1 npx jest test/golden/rad75-request.test.ts` and review the diff.
 */
const DIR = path.join(__dirname, 'rad75');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

describe('RAD-75 request golden files', () => {
  it.each(Object.entries(goldenImagingRequests()))('%s matches the builder output', (file, request) => {
    const actual = buildRetrieveImagingDocumentSet(request, GOLDEN_RAD75_ADDRESSING);
    const target = path.join(DIR, file);
    if (UPDATE) fs.writeFileSync(target, actual);
    expect(fs.existsSync(target)).toBe(true);
    expect(actual).toBe(fs.readFileSync(target, 'utf8'));
  });
});
