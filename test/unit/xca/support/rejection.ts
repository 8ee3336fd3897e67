import { XcaError } from '../../../../src/xca/errors';

/** The XcaError `promise` rejects with; the test fails if it resolves or rejects with anything else. */
export async function xcaRejection(promise: Promise<unknown>): Promise<XcaError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(XcaError);
  return err as XcaError;
}
