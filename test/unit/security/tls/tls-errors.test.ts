import { describeTlsFailure, tlsFailureReason } from '../../../../src/security/tls/tls-errors';

/** Errors shaped as Node and undici throw them: a `code`, sometimes wrapped in `cause` or an AggregateError. */

const withCode = (code: string, message = 'x'): Error => Object.assign(new Error(message), { code });

describe('tlsFailureReason', () => {
  it.each([
    ['CERT_HAS_EXPIRED', 'server certificate expired'],
    ['CERT_NOT_YET_VALID', 'server certificate not yet valid'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'server certificate not trusted'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'server certificate not trusted'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'server certificate not trusted'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'server certificate not trusted'],
    ['PATH_LENGTH_EXCEEDED', 'server certificate not trusted'],
    ['CERT_REVOKED', 'server certificate revoked'],
    ['CRL_HAS_EXPIRED', 'server certificate revocation status unknown'],
    ['UNABLE_TO_GET_CRL', 'server certificate revocation status unknown'],
    ['INVALID_PURPOSE', 'server certificate not valid for TLS server use'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'server name mismatch'],
    ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'client certificate refused'],
    ['ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', 'client certificate refused'],
    ['ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'client certificate refused'],
    ['ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED', 'client certificate refused'],
    ['ERR_SSL_TLSV1_ALERT_ACCESS_DENIED', 'client certificate refused'],
    ['ERR_TLS_CLIENT_CERT_REFUSED', 'client certificate refused'],
    ['ERR_TLS_HANDSHAKE_INTERRUPTED', 'TLS handshake interrupted by the server'],
    ['ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'TLS version or cipher refused'],
    ['ERR_SSL_UNSUPPORTED_PROTOCOL', 'TLS version or cipher refused'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'server does not speak TLS'],
    ['ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'TLS handshake failed'],
    ['ERR_SSL_SOMETHING_NEW', 'TLS handshake failed'],
  ])('%s → %s', (code, reason) => {
    expect(tlsFailureReason(withCode(code))).toBe(reason);
  });

  it('reads the alert out of an EPROTO message (older Node versions)', () => {
    const err = withCode('EPROTO', 'write EPROTO 00:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:rec_layer_s3.c:1601');
    expect(describeTlsFailure(err)).toEqual({ code: 'EPROTO', reason: 'client certificate refused' });
    expect(tlsFailureReason(withCode('EPROTO', 'write EPROTO'))).toBe('TLS handshake failed');
  });

  it('looks through cause chains and AggregateError members', () => {
    const wrapped = new Error('fetch failed', { cause: withCode('CERT_HAS_EXPIRED') });
    expect(describeTlsFailure(wrapped)).toEqual({ code: 'CERT_HAS_EXPIRED', reason: 'server certificate expired' });
    const aggregate = new AggregateError([withCode('ECONNREFUSED'), withCode('ERR_TLS_CERT_ALTNAME_INVALID')], 'all failed');
    expect(tlsFailureReason(new Error('outer', { cause: aggregate }))).toBe('server name mismatch');
  });

  it('says nothing about errors that are not TLS failures', () => {
    for (const err of [withCode('ECONNREFUSED'), withCode('ECONNRESET'), withCode('UND_ERR_SOCKET'), new Error('plain'), 'text', undefined, null]) {
      expect(describeTlsFailure(err)).toBeUndefined();
    }
  });

  it('stops on a cause cycle', () => {
    const a: Error & { cause?: unknown } = new Error('a');
    a.cause = new Error('b', { cause: a });
    expect(describeTlsFailure(a)).toBeUndefined();
  });
});
