import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { XcaError } from '../../src/xca/errors';
import { buildCrossGatewayRetrieve, encodeMtomRequest, Iti39RegistryError, readRetrieveResponse, type Iti39Request, type RetrievedDocument } from '../../src/xca/iti39';
import { readMtom } from '../../src/xca/mtom';
import { PUBLIC_FIXTURES as FIXTURES, xmllint } from './public-fixtures';
import { GOLDEN_ITI39_ADDRESSING, goldenRetrieveRequests } from '../golden/iti39-requests';

/**
 * ITI-39 wire conformance against the public IHE material in PUBLIC_FIXTURES_DIR (default ../shared/fixtures):
 * our request validates against the SOAP 1.2 + XDS.b schemas (also once unpacked from its MTOM package), and
 * every public ITI-39 answer is either read (ids, mimeType, bytes) or refused with a clear error. Expected
 * lengths and digests were taken from the files independently of this reader (see mtom-public.test.ts).
 */
const fixture = (name: string): Buffer => fs.readFileSync(path.join(FIXTURES, 'public/iti39', name));

/** xmllint's complaints about `file` ('' when it validates). */
function schemaErrors(file: string): string {
  const run = xmllint({ file });
  return run.code === 0 ? '' : run.stderr;
}

describe('ITI-39 requests validate against soap-envelope-ihe.xsd (xmllint)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iti39-xsd-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(Object.entries(goldenRetrieveRequests()))('%s, as built and as the root part of its MTOM package', async (file, request) => {
    const envelope = buildCrossGatewayRetrieve(request, GOLDEN_ITI39_ADDRESSING);
    const { contentType, body } = encodeMtomRequest(envelope);
    const root = (await readMtom(Readable.from([body]), contentType)).root.xml;
    for (const [name, xml] of [[file, envelope], [`root-part-${file}`, root]] as const) {
      const target = path.join(dir, name);
      fs.writeFileSync(target, xml);
      expect(schemaErrors(target)).toBe('');
    }
  });

  it('the schema check is strict about the body (ids out of order fail)', () => {
    const [file, request] = Object.entries(goldenRetrieveRequests())[0] ?? [];
    if (!file || !request) throw new Error('no golden request');
    const swapped = buildCrossGatewayRetrieve(request, GOLDEN_ITI39_ADDRESSING).replace(
      /(<xdsb:RepositoryUniqueId>[^<]*<\/xdsb:RepositoryUniqueId>)(\s*)(<xdsb:DocumentUniqueId>[^<]*<\/xdsb:DocumentUniqueId>)/,
      '$3$2$1',
    );
    const target = path.join(dir, `broken-${file}`);
    fs.writeFileSync(target, swapped);
    const stderr = schemaErrors(target);
    expect(stderr).toMatch(/DocumentUniqueId': This element is not expected/);
    expect(stderr).toMatch(/fails to validate/);
  });
});

const NIST: Iti39Request = { homeCommunityId: 'urn:oid:1.2.3', repositoryUniqueId: '1.3.6.1.4.1000', documentUniqueId: '1.3.6.1.4.2300' };
const NIST_BYTES = 'R0lGODlhcgGSALMAAAQCAEMmCZtuMFQxDS8b';
const EPIC: Iti39Request = { homeCommunityId: 'urn:oid:1.2.840.114350.1.13.35.2.7.3.688884.100', repositoryUniqueId: '1.2.840.114350.1.13.35.2.7.3.688884.100', documentUniqueId: '1.2.840.114350.1.13.35.2.7.8.688883.688787596' };
const EPIC_MULTI_SECOND: Iti39Request = { homeCommunityId: 'urn:oid:987654321', repositoryUniqueId: '987654321', documentUniqueId: '1.2.840.114350.1.13.79.2.7.8.688883.556269594' };
const METRIPORT = (documentUniqueId: string): Iti39Request => ({ homeCommunityId: 'urn:oid:2.16.840.1.113883.3.9621', repositoryUniqueId: '2.16.840.1.113883.3.9621', documentUniqueId });
const DOC_98 = [98, '6f43634a851b89af5ae4577835df7406f8aa9389fb0fca5edfd1273c22541bee'] as const;
const DOC_121 = [121, '2a0583976b83893ad96d94529365e5c0d9c5a1a34580009ad04805f5060c3412'] as const;
const DOC_183 = [183, 'fa3bc73e922237e4bef9dfc768e9370c5d3db2e69d7f22a520acc3a3a3cebb69'] as const;

async function* bytesOf(body: Buffer): AsyncGenerator<Buffer> {
  for (let i = 0; i < body.length; i += 1000) yield body.subarray(i, i + 1000);
}

async function read(file: string, request: Iti39Request, contentType?: string): Promise<RetrievedDocument> {
  return readRetrieveResponse(bytesOf(fixture(file)), contentType, request);
}

async function bytes(doc: RetrievedDocument): Promise<readonly [number, string]> {
  const chunks: Buffer[] = [];
  for await (const chunk of doc.body) chunks.push(chunk as Buffer);
  const all = Buffer.concat(chunks);
  return [all.length, crypto.createHash('sha256').update(all).digest('hex')];
}

const sha = (text: string): readonly [number, string] => [Buffer.byteLength(text), crypto.createHash('sha256').update(text).digest('hex')];

describe('public ITI-39 answers that hold the document', () => {
  it.each([
    ['nist-soap-xret-resp.xml (two identical inline documents)', 'nist-soap-xret-resp.xml', 'Success', 0],
    ['nist-soap-xret-resp-error.xml (Failure, RegistryError and documents: the document is served, the error kept)', 'nist-soap-xret-resp-error.xml', 'Failure', 1],
    ['nist-soap-xret-resp-homeless.xml (one DocumentResponse without HomeCommunityId: the stamped one is chosen)', 'nist-soap-xret-resp-homeless.xml', 'Failure', 1],
  ])('%s', async (_name, file, status, errors) => {
    const doc = await read(file, NIST, 'application/soap+xml; charset=UTF-8');
    expect(doc).toMatchObject({ ...NIST, mimeType: 'text/xml', status, size: NIST_BYTES.length });
    expect(doc.registryErrors.map((e) => e.errorCode)).toEqual(errors ? ['MyBigError'] : []);
    expect(await bytes(doc)).toEqual(sha(NIST_BYTES));
  });

  it('metriport-dr-partial-success.xml (PartialSuccess, lower-case homeCommunityId, rim:RegistryErrorList)', async () => {
    const request = { homeCommunityId: 'urn:oid:1.2.3.4', repositoryUniqueId: '1.3.6.1.4...1000', documentUniqueId: '1.3.6.1.4...2300' };
    const doc = await read('metriport-dr-partial-success.xml', request);
    expect(doc).toMatchObject({ ...request, mimeType: 'text/xml', status: 'PartialSuccess', registryErrors: [] });
    expect(await bytes(doc)).toEqual(sha(NIST_BYTES));
  });

  const mtomType = (boundary: string, start: string): string => `multipart/related; type="application/xop+xml"; boundary="${boundary}"; start="<${start}>"; start-info="application/soap+xml"`;
  it.each([
    ['no Content-Type (sniffed)', undefined],
    ['a constructed Content-Type', mtomType('uuid:5ef8425b-44e7-4a4c-8144-b8ddacb300f9+id=186535', 'http://tempuri.org/0')],
  ])('metriport-mtom.txt (WCF/Epic, LF framing, NewDocumentUniqueId) with %s', async (_name, contentType) => {
    const doc = await read('metriport-mtom.txt', EPIC, contentType);
    expect(doc).toMatchObject({ ...EPIC, mimeType: 'text/xml', status: 'Success', newDocumentUniqueId: '1.2.840.114350.1.13.35.2.7.8.688883.689581991' });
    expect(doc.size).toBeUndefined();
    expect(await bytes(doc)).toEqual(DOC_98);
  });

  it('metriport-multi-mtom.txt (CRLF, two documents): the second one asked for is the one served', async () => {
    const doc = await read('metriport-multi-mtom.txt', EPIC_MULTI_SECOND);
    expect(doc).toMatchObject({ ...EPIC_MULTI_SECOND, mimeType: 'text/xml', newDocumentUniqueId: '1.2.840.114350.1.13.79.2.7.8.688883.556272421' });
    expect(await bytes(doc)).toEqual(DOC_121);
  });

  it('metriport-mtom-xml.txt (lower-case part headers, urn:oid: repository id)', async () => {
    const request = { homeCommunityId: 'urn:oid:2.16.840.1.113883.3.6147.3187.119953613117321.1', repositoryUniqueId: '2.16.840.1.113883.3.6147.3187.119953613117321.1', documentUniqueId: '123456789' };
    const doc = await read('metriport-mtom-xml.txt', request);
    expect(doc).toMatchObject({ ...request, mimeType: 'text/xml' });
    expect(await bytes(doc)).toEqual(DOC_183);
  });
});

async function refusal(file: string, request: Iti39Request, contentType?: string): Promise<unknown> {
  return read(file, request, contentType).then(
    () => {
      throw new Error(`${file} was expected to be refused`);
    },
    (err: unknown) => err,
  );
}

describe('public ITI-39 answers without a usable document', () => {
  it('metriport-dr_registry_error.xml: Iti39RegistryError with XDSRegistryError (status says Success)', async () => {
    const err = await refusal('metriport-dr_registry_error.xml', METRIPORT('123456789'));
    expect(err).toBeInstanceOf(Iti39RegistryError);
    expect(err).toMatchObject({ status: 'Success', primaryCode: 'XDSRegistryError' });
    expect((err as Iti39RegistryError).errors[0]).toMatchObject({ codeContext: 'Error retrieving from repository' });
  });

  it.each([
    ['metriport-dr_success.xml (Document text is not base64)', 'metriport-dr_success.xml', METRIPORT('123456789'), 'unparseable', /not valid base64/],
    ['metriport-dr_empty.xml (Success, nothing at all)', 'metriport-dr_empty.xml', METRIPORT('123456789'), 'unparseable', /neither a DocumentResponse nor a RegistryError/],
    ['metriport-dr-no-mime-type.xml', 'metriport-dr-no-mime-type.xml', METRIPORT('987654321'), 'unparseable', /has no mimeType/],
    ['metriport-dr_soap_error.xml (SOAP 1.2 Fault)', 'metriport-dr_soap_error.xml', METRIPORT('1'), 'soap-fault', /SOAP Fault \(Sender\): Unexpected element/],
    ['metriport-mtom-without-multipart.txt (empty Document, no xop:Include)', 'metriport-mtom-without-multipart.txt', { homeCommunityId: 'urn:oid:987654321', repositoryUniqueId: '987654321', documentUniqueId: '123456789' }, 'unparseable', /is empty/],
    ['ehealthsuisse-ITI-43_response_raw.xml (root part logged without its attachment)', 'ehealthsuisse-ITI-43_response_raw.xml', { homeCommunityId: 'urn:oid:1.3.6.1.4.1.21367.2017.2.6.19', repositoryUniqueId: '1.3.6.1.4.1.21367.2017.2.3.54', documentUniqueId: '1.3.6.1.4.1.21367.2017.2.1.75.20200922130227623' }, 'unparseable', /not an MTOM package/],
  ])('%s is refused clearly', async (_name, file, request, kind, message) => {
    const err = await refusal(file, request);
    expect(err).toBeInstanceOf(XcaError);
    expect(err).toMatchObject({ kind, message: expect.stringMatching(message) });
  });

  it('metriport-dr_success.xml asked for a document it does not hold: no match', async () => {
    const err = await refusal('metriport-dr_success.xml', METRIPORT('5.5.5'));
    expect(err).toMatchObject({ kind: 'unparseable', message: expect.stringMatching(/None of the 2 DocumentResponse/) });
  });
});
