import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { searchsetBundle } from '../../src/fhir/bundle';
import { operationOutcome } from '../../src/fhir/operation-outcome';
import { mapEntries, toCommunityAnswer } from '../../src/interactions/community-answer';
import { toCommunities } from '../../src/config/config';
import { parseIti67Search, type SearchParamList } from '../../src/search/iti67-search';
import { toStoredQuery } from '../../src/search/to-stored-query';
import { buildCrossGatewayQuery } from '../../src/xca/iti38/request';
import { parseAdhocQueryResponse } from '../../src/xca/iti38/response-parser';

/**
 * Golden files for both directions of ITI-67 <-> ITI-38, written by this project:
 *  - FHIR search parameters -> the SOAP request one community receives (search/*.request.xml)
 *  - an ITI-38 SOAP response -> the searchset Bundle (search/*.bundle.json; volatile ids and timestamps fixed)
 * Regenerate deliberately with `UPDATE_GOLDEN=1 npx jest test/golden/search-translation.test.ts` and review the diff.
 */
const DIR = path.join(__dirname, 'search');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const NHS = 'https://fhir.nhs.uk/Id/nhs-number|9000000009';
const [community] = toCommunities([{ homeCommunityId: 'urn:oid:2.999.1.1', name: 'Golden Community', iti38Url: 'https://golden.example/xca/iti38' }], 'golden', false);

function golden(file: string, actual: string): void {
  const target = path.join(DIR, file);
  if (UPDATE) fs.writeFileSync(target, actual);
  expect(fs.existsSync(target)).toBe(true);
  expect(actual).toBe(fs.readFileSync(target, 'utf8'));
}

const SEARCHES: Record<string, SearchParamList> = {
  'patient-only': [['patient.identifier', NHS]],
  'every-parameter': [
    ['patient:identifier', NHS],
    ['status', 'current,superseded'],
    ['date', 'ge2024-01-01'],
    ['creation', 'lt2024-07'],
    ['period', 'eq2024-03'],
    ['category', 'http://snomed.info/sct|4201000179104'],
    ['type', 'http://loinc.org|18748-4'],
    ['setting', 'http://snomed.info/sct|394914008'],
    ['facility', 'http://snomed.info/sct|22232009'],
    ['event', 'http://dicom.nema.org/resources/ontology/DCM|CT,http://dicom.nema.org/resources/ontology/DCM|MR'],
    ['security-label', 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality|N'],
    ['format', 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode|urn:ihe:iti:xds:2017:mimeTypeSufficient'],
    ['author.family', 'Okafor'],
    ['author.given', 'Ada'],
  ],
  'related-accession': [
    ['subject:identifier', NHS],
    ['related', 'urn:oid:2.999.1.2.9|ACC0001'],
  ],
};

describe('golden: ITI-67 search parameters -> ITI-38 SOAP request', () => {
  it.each(Object.entries(SEARCHES))('%s', (name, params) => {
    const query = toStoredQuery(parseIti67Search(params, { lenient: false }), community!, '2.16.840.1.113883.2.1.4.1');
    golden(`${name}.request.xml`, buildCrossGatewayQuery(query, { to: community!.iti38Url, messageId: 'urn:uuid:00000000-0000-4000-8000-000000000000' }));
  });
});

describe('golden: ITI-38 SOAP response -> searchset Bundle', () => {
  it.each(['leafclass-prefixed.xml', 'leafclass-default-ns.xml', 'partial-success.xml'])('%s', async (fixture) => {
    const xml = fs.readFileSync(path.join(__dirname, '../fixtures/xca', fixture));
    const read = mapEntries(community!, { nhsNumber: '9000000009', baseUrl: 'https://facade.example/fhir' });
    const response = await parseAdhocQueryResponse(Readable.from([xml]), { maxBytes: 10_000_000, read });
    const answer = toCommunityAnswer({ community: community!, ok: true, value: response, durationMs: 1 });
    const bundle = searchsetBundle({
      baseUrl: 'https://facade.example/fhir',
      matches: answer.documents,
      total: answer.documents.length,
      links: [{ relation: 'self', url: 'https://facade.example/fhir/DocumentReference?patient.identifier=…' }],
      ...(answer.issues.length > 0 ? { outcome: operationOutcome(answer.issues) } : {}),
    });
    const stable = JSON.parse(JSON.stringify(bundle), (key, value) => {
      if (key === 'lastUpdated') return '2000-01-01T00:00:00Z';
      if (key === 'id' && typeof value === 'string' && /^[0-9a-f-]{36}$/.test(value)) return 'fixed-bundle-id';
      if (key === 'fullUrl' && typeof value === 'string' && value.startsWith('urn:uuid:')) return 'urn:uuid:fixed';
      return value;
    });
    golden(fixture.replace('.xml', '.bundle.json'), `${JSON.stringify(stable, null, 2)}\n`);
  });
});
