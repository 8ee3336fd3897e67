import { xmllint } from './public-fixtures';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { encodeMtomRequest } from '../../src/xca/iti39';
import { HOME_A, HOME_B } from '../integration/sandbox/helpers';
import { EXPLICIT_VR_LE, envelope, iti39Request, rad75Request, REPO_A, REPO_B, retrieve, type RetrieveAnswer } from '../integration/sandbox/retrieve-helpers';

/**
 * The MTOM root parts of the sandbox's ITI-39 and RAD-75 answers validate against soap-envelope-ihe.xsd (SOAP 1.2
 * envelope strictly, XDS.b RetrieveDocumentSetResponse and ebRS rs:RegistryResponse strictly) with xmllint.
 *
 * XDS.b_DocumentRepository.xsd types Document as xs:base64Binary, a simple type, so a root part whose Document
 * holds an xop:Include element cannot be schema-valid as such: XOP 1.0 defines the Include as standing for the
 * base64 of the attachment, and a schema applies to the reconstructed infoset (XOP 1.0 section 3.2). Each root part
 * is therefore validated twice: as it is, where the ONLY errors allowed are "element content is not allowed" on
 * Document, one per DocumentResponse; and as XOP reconstructs it, with each Include replaced by the base64 of the
 * attachment it names, which must be valid outright.
 */
const DOCUMENT_IS_SIMPLE = /Element '\{urn:ihe:iti:xds-b:2007\}Document': Element content is not allowed, because the type definition is simple\./;

/** The root part with each xop:Include replaced by the base64 of its attachment (XOP 1.0 3.2 reconstruction). */
function reconstructed(answer: RetrieveAnswer): string {
  let xml = answer.rootXml;
  for (const doc of answer.documents) {
    const include = new RegExp(`<xop:Include [^>]*href="${doc.href!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"/>`);
    expect(xml).toMatch(include);
    xml = xml.replace(include, doc.bytes.toString('base64'));
  }
  return xml;
}

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ largeDocumentBytes: 8192 });
});
afterAll(async () => {
  await sandbox.close();
});

const iti39 = (gateway: 0 | 1, docs: Parameters<typeof iti39Request>[1]) => () => retrieve(sandbox.gateways[gateway].iti39Url, iti39Request(sandbox.gateways[gateway].iti39Url, docs));
const rad75 = (instances: string[], syntaxes = [EXPLICIT_VR_LE]) => () => {
  const url = sandbox.gateways[1].rad75Url;
  const docs = instances.map((document) => ({ home: HOME_B, repository: REPO_B, document }));
  return retrieve(url, rad75Request(url, [{ study: '2.999.1.2.5.1', series: [{ series: '2.999.1.2.5.1.1', docs }] }], syntaxes));
};
const a = (document: string) => ({ home: HOME_A, repository: REPO_A, document });

const cases: Array<[string, () => Promise<RetrieveAnswer>, number]> = [
  ['ITI-39 Success, one PDF (A, 9000000009)', iti39(0, [a('2.999.1.1.1.1')]), 1],
  ['ITI-39 Success, the KOS manifest (B, 9000000009)', iti39(1, [{ home: HOME_B, repository: REPO_B, document: '2.999.1.2.1.1' }]), 1],
  ['ITI-39 Success, four documents', iti39(0, ['2.999.1.1.1.1', '2.999.1.1.1.2', '2.999.1.1.1.3', '2.999.1.1.1.4'].map(a)), 4],
  ['ITI-39 PartialSuccess (9000000084 missing)', iti39(0, [a('2.999.1.1.1.2'), a('2.999.1.1.1.84.1')]), 1],
  ['ITI-39 Failure XDSUnknownRepositoryId + XDSUnknownCommunity', iti39(0, [{ ...a('2.999.1.1.1.1'), repository: '2.999.9' }, { ...a('2.999.1.1.1.1'), home: HOME_B }]), 0],
  ['ITI-39 Fault (MTOM request, wrong action)', () => retrieve(sandbox.gateways[0].iti39Url, encodeMtomRequest(envelope('urn:x', sandbox.gateways[0].iti39Url, '<x/>'), { action: 'urn:x' })), 0],
  ['RAD-75 Success, three instances', rad75(['2.999.1.2.5.1.1.1', '2.999.1.2.5.1.1.2', '2.999.1.2.5.1.1.3']), 3],
  ['RAD-75 PartialSuccess, one unknown instance', rad75(['2.999.1.2.5.1.1.1', '2.999.1.2.5.1.1.999']), 1],
  ['RAD-75 Failure XDSRepositoryError (transfer syntax not supported)', rad75(['2.999.1.2.5.1.1.1'], ['1.2.840.10008.1.2.4.50']), 0],
];

describe('sandbox retrieve answers validate against soap-envelope-ihe.xsd', () => {
  it.each(cases)('%s', async (_name, get, documents) => {
    const answer = await get();
    expect(answer.documents).toHaveLength(documents);
    const asIs = xmllint({ text: answer.rootXml });
    expect(asIs.errors.filter((e) => !DOCUMENT_IS_SIMPLE.test(e))).toEqual([]);
    expect(asIs.errors).toHaveLength(documents);
    const inline = xmllint({ text: reconstructed(answer) });
    expect(inline.errors).toEqual([]);
    expect(inline.code).toBe(0);
  });
});
