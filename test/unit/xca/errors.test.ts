import { XcaError, toXcaError } from '../../../src/xca/errors';

describe('XcaError', () => {
  it('carries kind, HTTP status and fault code, and only the message it was given', () => {
    const err = new XcaError('soap-fault', 'The responding gateway returned a SOAP Fault (Receiver)', { httpStatus: 500, faultCode: 'Receiver' });
    expect(err).toBeInstanceOf(Error);
    expect([err.name, err.kind, err.httpStatus, err.faultCode, err.faultSubcode]).toEqual(['XcaError', 'soap-fault', 500, 'Receiver', undefined]);
    expect(err.message).toBe('The responding gateway returned a SOAP Fault (Receiver)');
  });
});

describe('toXcaError', () => {
  it('passes XcaErrors through', () => {
    const err = new XcaError('tls', 'x');
    expect(toXcaError(err)).toBe(err);
  });

  it('maps aborts to timeout and anything else to network, never leaking the original message', () => {
    expect(toXcaError(new DOMException('This operation was aborted', 'AbortError')).kind).toBe('timeout');
    expect(toXcaError(new DOMException('signal timed out', 'TimeoutError')).kind).toBe('timeout');
    const bug = new TypeError('Cannot read properties of undefined (patient 9000000009)');
    const mapped = toXcaError(bug);
    expect(mapped.kind).toBe('network');
    expect(mapped.message).not.toContain('9000000009');
    expect(mapped.cause).toBe(bug);
    expect(toXcaError('a string').kind).toBe('network');
  });
});
