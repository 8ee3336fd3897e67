import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PUBLIC_FIXTURES as FIXTURES, SOAP_ENVELOPE_XSD as SCHEMA } from './public-fixtures';
import { XcaError } from '../../src/xca/errors';
import { buildCrossGatewayQuery } from '../../src/xca/iti38/request';
import { parseAdhocQueryResponse } from '../../src/xca/iti38/response-parser';
import type { AdhocQueryResponse } from '../../src/xca/model';
import { GOLDEN_ADDRESSING, goldenQueries } from '../golden/iti38-queries';

/**
 * ITI-38 wire conformance against the public IHE material in PUBLIC_FIXTURES_DIR (default ../shared/fixtures):
 * our requests validate against the SOAP 1.2 + ebRS 3.0 schemas, and our parser reads every public response.
 */
const ITI38 = path.join(FIXTURES, 'public/iti38');

describe('ITI-38 requests validate against soap-envelope-ihe.xsd (xmllint)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iti38-xsd-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(Object.entries(goldenQueries()))('%s', (file, query) => {
    const target = path.join(dir, file);
    fs.writeFileSync(target, buildCrossGatewayQuery(query, GOLDEN_ADDRESSING));
    // execFileSync throws (failing the test, with xmllint's message) on any schema error.
    const output = execFileSync('xmllint', ['--noout', '--nonet', '--schema', SCHEMA, target], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(output).toBe('');
  });

  it('the schema check is strict about the body (a broken request fails)', () => {
    const [file, query] = Object.entries(goldenQueries())[0] ?? [];
    if (!file || !query) throw new Error('no golden query');
    const target = path.join(dir, `broken-${file}`);
    fs.writeFileSync(target, buildCrossGatewayQuery(query, GOLDEN_ADDRESSING).replace(/<query:ResponseOption[^>]*\/>/, ''));
    const stderr = ((): string => {
      try {
        execFileSync('xmllint', ['--noout', '--nonet', '--schema', SCHEMA, target], { stdio: ['ignore', 'pipe', 'pipe'] });
        return '';
      } catch (err) {
        return String((err as { stderr?: unknown }).stderr);
      }
    })();
    expect(stderr).toMatch(/AdhocQuery': This element is not expected/);
    expect(stderr).toMatch(/fails to validate/);
  });
});

interface Expected {
  readonly status: AdhocQueryResponse['status'];
  readonly extrinsicObjects: number;
  readonly objectRefs: number;
  readonly errors: number;
  /** Classifications and ExternalIdentifiers summed over the ExtrinsicObjects. */
  readonly classifications?: number;
  readonly externalIdentifiers?: number;
}

/** Counts read off the files by hand (see public/SOURCES.md for what each one is). */
const EXPECTED: Readonly<Record<string, Expected>> = {
  'nist-soap-xcq-resp.xml': { status: 'Success', extrinsicObjects: 2, objectRefs: 0, errors: 0, classifications: 19, externalIdentifiers: 4 },
  'nist-soap-xcq-resp-error.xml': { status: 'Failure', extrinsicObjects: 2, objectRefs: 0, errors: 1, classifications: 19, externalIdentifiers: 4 },
  'nist-sq-resp-objectref.xml': { status: 'Success', extrinsicObjects: 0, objectRefs: 6, errors: 0 },
  'nist-cxf-xcq-resp-mustunderstand.txt': { status: 'Success', extrinsicObjects: 0, objectRefs: 0, errors: 0 },
  'metriport-dq_multiple_docs.xml': { status: 'Success', extrinsicObjects: 2, objectRefs: 0, errors: 0, classifications: 14, externalIdentifiers: 4 },
  'metriport-dq_empty.xml': { status: 'Success', extrinsicObjects: 0, objectRefs: 0, errors: 0 },
  'metriport-dq_error.xml': { status: 'PartialSuccess', extrinsicObjects: 0, objectRefs: 0, errors: 1 },
  'ehealthsuisse-ITI-18_response_raw.xml': { status: 'Success', extrinsicObjects: 1, objectRefs: 0, errors: 0, classifications: 7, externalIdentifiers: 2 },
};
/** Deliberately broken samples and the error each must give. */
const REJECTED: Readonly<Record<string, RegExp>> = {
  'nist-sq-resp-nostat-objectref.xml': /no status/,
};

const responseFiles = (): string[] => fs.readdirSync(ITI38).filter((f) => /-resp|_response|dq_/.test(f)).sort();
const read = async (file: string): Promise<AdhocQueryResponse> => {
  async function* source(): AsyncGenerator<Buffer> {
    yield fs.readFileSync(path.join(ITI38, file));
  }
  return parseAdhocQueryResponse(source(), { maxBytes: 10 * 1024 * 1024 });
};

describe('parseAdhocQueryResponse reads every public ITI-38 response', () => {
  it('knows every response file in the fixtures folder', () => {
    expect(responseFiles()).toEqual([...Object.keys(EXPECTED), ...Object.keys(REJECTED)].sort());
  });

  it.each(Object.entries(EXPECTED))('%s', async (file, expected) => {
    const result = await read(file);
    expect({
      status: result.status,
      extrinsicObjects: result.extrinsicObjects.length,
      objectRefs: result.objectRefs.length,
      errors: result.errors.length,
      ...(expected.classifications === undefined ? {} : { classifications: result.extrinsicObjects.reduce((n, eo) => n + eo.classifications.length, 0) }),
      ...(expected.externalIdentifiers === undefined ? {} : { externalIdentifiers: result.extrinsicObjects.reduce((n, eo) => n + eo.externalIdentifiers.length, 0) }),
    }).toEqual(expected);
    for (const eo of result.extrinsicObjects) {
      expect(eo.id).not.toBe('');
      expect(eo.slots.length).toBeGreaterThan(0);
    }
  });

  it.each(Object.entries(REJECTED))('%s is rejected with a clear XcaError', async (file, message) => {
    const err: unknown = await read(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(XcaError);
    expect((err as XcaError).kind).toBe('unparseable');
    expect((err as XcaError).message).toMatch(message);
  });

  it('reads the details of the NIST Failure answer (error location = homeCommunityId)', async () => {
    const result = await read('nist-soap-xcq-resp-error.xml');
    expect(result.errors).toEqual([{ errorCode: 'MyBigError', codeContext: 'My Prog', severity: 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error', location: 'urn:oid:1.2.3' }]);
    expect(result.extrinsicObjects.map((eo) => [eo.home, eo.name])).toEqual([
      ['urn:oid:2.3.4', 'DocA'],
      ['urn:oid:2.3.4', 'DocF'],
    ]);
  });
});
