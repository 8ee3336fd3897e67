import { FacadeError } from '../../../../src/errors/facade-error';
import { requireDicomJson, requireDicomMultipart } from '../../../../src/interactions/imaging/wado-accept';

const status = (fn: () => void): number => {
  try {
    fn();
    return 200;
  } catch (err) {
    return err instanceof FacadeError ? err.status : 500;
  }
};

describe('WADO-RS Accept negotiation', () => {
  it.each([
    [undefined, 200],
    ['', 200],
    ['*/*', 200],
    ['multipart/related', 200],
    ['multipart/related; type="application/dicom"', 200],
    ['multipart/related; type=application/dicom; transfer-syntax=*', 200],
    ['multipart/related; type="application/dicom"; transfer-syntax=1.2.840.10008.1.2.1', 200],
    ['Multipart/Related; Type="Application/DICOM"', 200],
    ['multipart/*', 200],
    ['application/json, */*;q=0.1', 200],
    ['multipart/related; type="application/octet-stream"', 406],
    ['multipart/related; type="image/jpeg"', 406],
    ['application/dicom', 406],
    ['application/json', 406],
    ['*/*;q=0', 406],
  ])('retrieve with Accept %p -> %d', (accept, expected) => {
    expect(status(() => requireDicomMultipart(accept, 'application/dicom'))).toBe(expected);
  });

  it.each([
    [undefined, 200],
    ['application/dicom+json', 200],
    ['application/json', 200],
    ['application/*', 200],
    ['*/*', 200],
    ['multipart/related; type="application/dicom+xml"', 406],
    ['application/dicom+xml', 406],
  ])('metadata with Accept %p -> %d', (accept, expected) => {
    expect(status(() => requireDicomJson(accept))).toBe(expected);
  });

  it('says what it serves in the 406', () => {
    try {
      requireDicomMultipart('image/png', 'application/dicom');
    } catch (err) {
      expect((err as FacadeError).code).toBe('NOT_ACCEPTABLE');
      expect((err as FacadeError).message).toContain('multipart/related; type="application/dicom"');
      expect((err as FacadeError).expression).toEqual(['Accept']);
    }
    expect.assertions(3);
  });
});
