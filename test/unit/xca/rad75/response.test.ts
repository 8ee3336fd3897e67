import { Readable } from 'node:stream';
import { readImagingResponse, type ImagingRetrieval, type Rad75Request } from '../../../../src/xca/rad75';
import {
  cidOf, collect, dicomLike, FAILURE, HOME, imagingPackage, imagingXml, mtomContentType, REPOSITORY, registryError, rejectionOf, sha256, STUDY_REQUEST, STUDY_UIDS,
} from './kit';

/** readImagingResponse on handwritten bodies: how DocumentResponses are matched to the request. */

const source = (body: Buffer | string): Readable => Readable.from([Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8')]);
const [A, B, C] = STUDY_UIDS as [string, string, string];
const small: Rad75Request = { ...STUDY_REQUEST, series: [{ seriesInstanceUid: STUDY_REQUEST.series[0]!.seriesInstanceUid, instances: STUDY_REQUEST.series[0]!.instances }] };

async function drain(retrieval: ImagingRetrieval): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  for await (const instance of retrieval.instances) out.push([instance.documentUniqueId, sha256(await collect(instance.body))]);
  return out;
}

describe('readImagingResponse', () => {
  const files = new Map([A, B, C].map((uid, i) => [uid, dicomLike(5000 + i * 1000)] as const));
  const other = dicomLike(9000);
  /** The bytes of instance `uid`. */
  const bytesOf = (uid: string): Buffer => files.get(uid) ?? other;

  it('reads past DocumentResponses nobody asked for, and repeats, without yielding them', async () => {
    const stranger = '1.2.826.0.1.3680043.10.543.9.9';
    const xml = imagingXml([{ uid: A }, { uid: stranger }, { uid: B }, { uid: A, cid: cidOf('repeat') }, { uid: C }]);
    const parts = [[A, bytesOf(A)], [stranger, other], [B, bytesOf(B)], ['repeat', other], [C, bytesOf(C)]] as const;
    const retrieval = await readImagingResponse(source(imagingPackage(xml, parts)), mtomContentType(), small);
    expect(await drain(retrieval)).toEqual([A, B, C].map((uid) => [uid, sha256(bytesOf(uid))]));
  });

  it('matches ids written with a urn:oid: prefix or spaces, and reports the repository as sent', async () => {
    const xml = imagingXml([{ uid: ` urn:oid:${A} `, repository: '1.2.3.4.5', cid: `${A}@ids.example` }]);
    const retrieval = await readImagingResponse(source(imagingPackage(xml, [[A, bytesOf(A)]])), mtomContentType(), small);
    expect(retrieval.missingSopInstanceUids).toEqual([B, C]);
    const instances = [];
    for await (const instance of retrieval.instances) {
      instances.push({ uid: instance.documentUniqueId, repo: instance.repositoryUniqueId, series: instance.seriesInstanceUid });
      await collect(instance.body);
    }
    expect(instances).toEqual([{ uid: A, repo: '1.2.3.4.5', series: small.series[0]?.seriesInstanceUid }]);
  });

  it('reads a plain SOAP answer with the instances inline (base64), with their sizes', async () => {
    const xml = imagingXml([A, B].map((uid) => ({ uid, base64: bytesOf(uid).toString('base64').replace(/(.{76})/g, '$1\n') })));
    const retrieval = await readImagingResponse(source(xml), 'application/soap+xml; charset=UTF-8', small);
    const sizes: Array<number | undefined> = [];
    const out: Array<[string, string]> = [];
    for await (const instance of retrieval.instances) {
      sizes.push(instance.size);
      out.push([instance.documentUniqueId, sha256(await collect(instance.body))]);
    }
    expect(out).toEqual([A, B].map((uid) => [uid, sha256(bytesOf(uid))]));
    expect(sizes).toEqual([5000, 6000]);
    expect(retrieval.missingSopInstanceUids).toEqual([C]);
  });

  it('serves the instances of a Failure that still carries some, keeping its errors', async () => {
    const xml = imagingXml([{ uid: A }], { status: FAILURE, errors: [registryError('XDSRepositoryError', 'one source down')] });
    const retrieval = await readImagingResponse(source(imagingPackage(xml, [[A, bytesOf(A)]])), mtomContentType(), small);
    expect(retrieval).toMatchObject({ status: 'Failure', registryErrors: [{ errorCode: 'XDSRepositoryError', location: HOME }] });
    expect(await drain(retrieval)).toEqual([[A, sha256(bytesOf(A))]]);
  });

  it.each([
    ['Success with neither instance nor error', imagingXml([]), /holds neither a DocumentResponse nor a RegistryError/],
    ['only instances nobody asked for', imagingXml([{ uid: '9.9.9', base64: 'AAAA' }]), /none of them for an instance requested/],
    ['an xop:Include in a plain SOAP answer', imagingXml([{ uid: A }]), /is not an MTOM package/],
    ['an empty Document', imagingXml([{ uid: A, base64: '' }]), /empty Document/],
    ['no RegistryResponse', '<x:RetrieveDocumentSetResponse xmlns:x="urn:ihe:iti:xds-b:2007"/>', /RAD-75 response has no RegistryResponse/],
  ])('refuses %s (unparseable)', async (_name, xml, message) => {
    expect(await rejectionOf(readImagingResponse(source(xml), 'text/xml', small))).toMatchObject({ kind: 'unparseable', message: expect.stringMatching(message) });
  });

  it('errors on the instance whose inline base64 is broken, after serving the ones before it', async () => {
    const xml = imagingXml([{ uid: A, base64: bytesOf(A).toString('base64') }, { uid: B, base64: '...' }]);
    const retrieval = await readImagingResponse(source(xml), 'text/xml', small);
    const iterator = retrieval.instances[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done !== true && sha256(await collect(first.value.body))).toBe(sha256(bytesOf(A)));
    expect(await rejectionOf(iterator.next())).toMatchObject({ kind: 'unparseable', message: expect.stringMatching(/inline Document of the RAD-75 response is not valid base64/) });
  });

  it('matches the requested repository when the DocumentResponse leaves it out', async () => {
    const xml = imagingXml([{ uid: A, base64: 'AAAA' }]).replace(/<x:RepositoryUniqueId>[^<]*<\/x:RepositoryUniqueId>/, '');
    const retrieval = await readImagingResponse(source(xml), 'text/xml', small);
    for await (const instance of retrieval.instances) {
      expect(instance.repositoryUniqueId).toBe(REPOSITORY);
      await collect(instance.body);
    }
  });
});
