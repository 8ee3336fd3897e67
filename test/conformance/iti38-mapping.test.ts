import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { toCommunities } from '../../src/config/config';
import { projectRoot } from '../../src/config/paths';
import { PUBLIC_FIXTURES as FIXTURES, SOAP_ENVELOPE_XSD } from './public-fixtures';
import { toDocumentReference } from '../../src/fhir/document-reference';
import { validateResource } from '../../src/fhir/profile-validator';
import { documentEntryTable } from '../../src/mappings/document-entry';
import { XcaError } from '../../src/xca/errors';
import { parseAdhocQueryResponse } from '../../src/xca/iti38/response-parser';
import type { RimExtrinsicObject } from '../../src/xca/model';

/**
 * Every public ITI-38 response in PUBLIC_FIXTURES_DIR maps to DocumentReferences that pass fhir-profiles/, or is
 * rejected with a clear error (the deliberately broken ones); and the requests this service builds from FHIR
 * searches (the golden files) validate against the official schemas with xmllint.
 *
 * The public samples are for Connectathon patients, not NHS numbers. The mapping refuses an entry whose patientId is
 * not the patient searched, so each entry's patientId is re-pointed at a test NHS number first: the rest of the
 * entry is mapped exactly as the responder sent it.
 */
const ITI38 = path.join(FIXTURES, 'public/iti38');
const NHS_CX = '9000000009^^^&2.16.840.1.113883.2.1.4.1&ISO';
const [community] = toCommunities([{ homeCommunityId: 'urn:oid:2.999.9.9', name: 'Public samples', iti38Url: 'https://samples.example/iti38' }], 'conformance', false);

const responses = fs
  .readdirSync(ITI38)
  .filter((f) => /resp|response|dq_/.test(f))
  .sort();

function asNhsPatient(entry: RimExtrinsicObject): RimExtrinsicObject {
  const scheme = (documentEntryTable().keys.patientId.source as { externalIdentifier: string }).externalIdentifier;
  return { ...entry, externalIdentifiers: entry.externalIdentifiers.map((x) => (x.identificationScheme === scheme ? { ...x, value: NHS_CX } : x)) };
}

let mapped = 0;

describe('public ITI-38 responses -> DocumentReferences valid against fhir-profiles/', () => {
  it('finds the public samples', () => {
    expect(responses.length).toBeGreaterThanOrEqual(8);
  });

  it.each(responses)('%s', async (file) => {
    const bytes = fs.readFileSync(path.join(ITI38, file));
    let parsed;
    try {
      parsed = await parseAdhocQueryResponse(Readable.from([bytes]), { maxBytes: 10_000_000 });
    } catch (err) {
      // Only the deliberately broken sample may be rejected, and with a clear message.
      expect(file).toBe('nist-sq-resp-nostat-objectref.xml');
      expect(err).toBeInstanceOf(XcaError);
      expect((err as XcaError).message).toMatch(/status/i);
      return;
    }
    for (const entry of parsed.extrinsicObjects) {
      const result = toDocumentReference(asNhsPatient(entry), { community: community!, nhsNumber: '9000000009', baseUrl: 'https://facade.example/fhir' });
      if (!result.ok) throw new Error(`${file}: ${entry.id} not mapped: ${result.reason}`);
      expect(validateResource(result.resource, 'DocumentReference')).toEqual({ valid: true, errors: [] });
      expect(result.resource.subject?.identifier?.value).toBe('9000000009');
      mapped += 1;
    }
  });

  it('mapped every DocumentEntry of the samples (NIST 2, eHealth Suisse, Metriport 2, ...)', () => {
    expect(mapped).toBeGreaterThanOrEqual(5);
  });
});

describe("the service's own ITI-38 requests validate against the official schemas (xmllint)", () => {
  const dir = path.join(projectRoot(), 'test/golden/search');
  it.each(fs.readdirSync(dir).filter((f) => f.endsWith('.request.xml')))('%s', (file) => {
    const out = execFileSync('xmllint', ['--noout', '--nonet', '--schema', SOAP_ENVELOPE_XSD, path.join(dir, file)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).toBe('');
  });
});
