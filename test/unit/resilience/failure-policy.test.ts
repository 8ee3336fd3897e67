import { isCommunityFailure, isConnectionFailure } from '../../../src/resilience/failure-policy';
import { TlsRefusalError } from '../../../src/security/tls/tls-connector';
import { XcaError } from '../../../src/xca/errors';
import { Iti39RegistryError } from '../../../src/xca/iti39/registry-error';

const socketError = (code: string): Error => Object.assign(new Error(code), { code });
const network = (cause: unknown): XcaError => new XcaError('network', 'unreachable', { cause });

describe('isCommunityFailure', () => {
  it.each([
    ['timeout', new XcaError('timeout', 't')],
    ['network', new XcaError('network', 'n')],
    ['tls', new XcaError('tls', 'x')],
    ['HTTP 503', new XcaError('http-status', 'h', { httpStatus: 503 })],
    ['HTTP 429', new XcaError('http-status', 'h', { httpStatus: 429 })],
    ['SOAP 1.2 Receiver fault', new XcaError('soap-fault', 'f', { httpStatus: 500, faultCode: 'Receiver' })],
    ['SOAP 1.1 Server fault', new XcaError('soap-fault', 'f', { httpStatus: 500, faultCode: 'Server' })],
  ])('counts %s against the community', (_name, err) => {
    expect(isCommunityFailure(err)).toBe(true);
  });

  it.each([
    ['HTTP 404', new XcaError('http-status', 'h', { httpStatus: 404 })],
    ['SOAP Sender fault', new XcaError('soap-fault', 'f', { httpStatus: 400, faultCode: 'Sender' })],
    ['oversize answer', new XcaError('oversize', 'o')],
    ['unparseable answer', new XcaError('unparseable', 'u')],
    ['registry error (no document)', new Iti39RegistryError('Failure', [])],
    ['our own bug', new TypeError('undefined is not a function')],
  ])('does not count %s', (_name, err) => {
    expect(isCommunityFailure(err)).toBe(false);
  });
});

describe('isConnectionFailure', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET'])('retries %s, raw or inside an XcaError', (code) => {
    expect(isConnectionFailure(socketError(code))).toBe(true);
    expect(isConnectionFailure(network(socketError(code)))).toBe(true);
  });

  it('finds the code in a happy-eyeballs AggregateError', () => {
    expect(isConnectionFailure(network(new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNREFUSED')], 'all failed')))).toBe(true);
  });

  it('never retries a TLS refusal, even one that began as a reset', () => {
    const refusal = new TlsRefusalError('ERR_TLS_HANDSHAKE_INTERRUPTED', 'dropped', socketError('ECONNRESET'));
    expect(isConnectionFailure(network(refusal))).toBe(false);
    expect(isConnectionFailure(new XcaError('tls', 't', { cause: socketError('ECONNRESET') }))).toBe(false);
  });

  it('does not retry timeouts, DNS failures or answers', () => {
    expect(isConnectionFailure(new XcaError('timeout', 't', { cause: socketError('ECONNRESET') }))).toBe(false);
    expect(isConnectionFailure(network(socketError('ENOTFOUND')))).toBe(false);
    expect(isConnectionFailure(new XcaError('http-status', 'h', { httpStatus: 503 }))).toBe(false);
    expect(isConnectionFailure(new Error('no code'))).toBe(false);
  });
});
