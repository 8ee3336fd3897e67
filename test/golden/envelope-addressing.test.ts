import fs from 'node:fs';
import path from 'node:path';
import { buildCrossGatewayQuery } from '../../src/xca/iti38/request';
import { buildCrossGatewayRetrieve } from '../../src/xca/iti39';
import { buildRetrieveImagingDocumentSet } from '../../src/xca/rad75';

/**
 * Golden files for the SOAP header of each transaction's request when it carries a wsse:Security block and a bare
 * UUID as wsa:MessageID (the paths test/golden/{iti38,iti39,rad75}/ leave out). Inputs are literal, not taken from
 * mappings/, so only a change to the envelope itself shows up here. Regenerate deliberately with
 * `UPDATE_GOLDEN=1 npx jest test/golden/envelope-addressing.test.ts` and review the diff.
 */
const DIR = path.join(__dirname, 'envelope');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const SECURITY =
  '<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><wsse:BinarySecurityToken>AQID</wsse:BinarySecurityToken></wsse:Security>';

function addressing(endpoint: string, uuid: string): { to: string; messageId: string; securityHeader: string } {
  return { to: `https://gw.example.nhs.uk/xca/${endpoint}?a=1&b="2"`, messageId: uuid, securityHeader: SECURITY };
}

const ENVELOPES: Record<string, () => string> = {
  'iti38-signed.xml': () =>
    buildCrossGatewayQuery(
      {
        queryId: 'urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d',
        returnType: 'LeafClass',
        homeCommunityId: 'urn:oid:1.2.826.0.1.999.1',
        slots: [{ name: '$XDSDocumentEntryPatientId', values: ["'9000000009^^^&2.16.840.1.113883.2.1.4.1&ISO'"] }],
      },
      addressing('iti38', '00000000-0000-4000-8000-0000000a0038'),
    ),
  'iti39-signed.xml': () =>
    buildCrossGatewayRetrieve(
      { homeCommunityId: 'urn:oid:1.2.826.0.1.999.1', repositoryUniqueId: '1.2.826.0.1.999.1.20', documentUniqueId: '1.2.826.0.1.999.1.30.1' },
      addressing('iti39', '00000000-0000-4000-8000-0000000a0039'),
    ),
  'rad75-signed.xml': () =>
    buildRetrieveImagingDocumentSet(
      {
        homeCommunityId: 'urn:oid:1.2.826.0.1.999.2',
        studyInstanceUid: '1.2.826.0.1.3680043.10.543.1',
        series: [{ seriesInstanceUid: '1.2.826.0.1.3680043.10.543.1.1', instances: [{ sopInstanceUid: '1.2.826.0.1.3680043.10.543.1.1.1', repositoryUniqueId: '1.2.826.0.1.999.2.20' }] }],
        transferSyntaxUids: ['1.2.840.10008.1.2.1'],
      },
      addressing('rad75', '00000000-0000-4000-8000-0000000b0075'),
    ),
};

describe('request envelopes with a security header', () => {
  it.each(Object.entries(ENVELOPES))('%s matches the builder output', (file, build) => {
    const actual = build();
    const target = path.join(DIR, file);
    if (UPDATE) fs.writeFileSync(target, actual);
    expect(fs.existsSync(target)).toBe(true);
    expect(actual).toBe(fs.readFileSync(target, 'utf8'));
  });
});
