/**
 * TLS failures in a few words for OperationOutcome diagnostics. Node reports OpenSSL's certificate verification
 * results under the X509_V_ERR names (without the prefix, e.g. CERT_HAS_EXPIRED), its own host name check as
 * ERR_TLS_CERT_ALTNAME_INVALID, and alerts received from the peer as ERR_SSL_<version>_ALERT_<name> (RFC 8446 6.2).
 * The two ERR_TLS_ codes of tls-connector.ts cover refusals that arrive without an alert.
 */

export type TlsFailureReason =
  | 'server certificate expired'
  | 'server certificate not yet valid'
  | 'server certificate not trusted'
  | 'server certificate revoked'
  | 'server certificate revocation status unknown'
  | 'server certificate not valid for TLS server use'
  | 'server name mismatch'
  | 'client certificate refused'
  | 'TLS handshake interrupted by the server'
  | 'TLS version or cipher refused'
  | 'server does not speak TLS'
  | 'TLS handshake failed';

export interface TlsFailure {
  /** The code the reason was derived from (for logs). */
  readonly code: string;
  readonly reason: TlsFailureReason;
}

/** Codes that name their reason directly (one table: the whole mapping is read at a glance). */
const BY_CODE: Readonly<Record<string, TlsFailureReason>> = {
  CERT_HAS_EXPIRED: 'server certificate expired',
  CERT_NOT_YET_VALID: 'server certificate not yet valid',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'server certificate not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'server certificate not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'server certificate not trusted',
  UNABLE_TO_GET_ISSUER_CERT: 'server certificate not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'server certificate not trusted',
  UNABLE_TO_DECRYPT_CERT_SIGNATURE: 'server certificate not trusted',
  UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: 'server certificate not trusted',
  CERT_SIGNATURE_FAILURE: 'server certificate not trusted',
  CERT_UNTRUSTED: 'server certificate not trusted',
  CERT_REJECTED: 'server certificate not trusted',
  INVALID_CA: 'server certificate not trusted',
  PATH_LENGTH_EXCEEDED: 'server certificate not trusted',
  CERT_CHAIN_TOO_LONG: 'server certificate not trusted',
  ERROR_IN_CERT_NOT_BEFORE_FIELD: 'server certificate not trusted',
  ERROR_IN_CERT_NOT_AFTER_FIELD: 'server certificate not trusted',
  CERT_REVOKED: 'server certificate revoked',
  // TLS_CRL lacks a current list for a CA of the server's chain: zero trust, the call is refused.
  UNABLE_TO_GET_CRL: 'server certificate revocation status unknown',
  CRL_HAS_EXPIRED: 'server certificate revocation status unknown',
  CRL_NOT_YET_VALID: 'server certificate revocation status unknown',
  CRL_SIGNATURE_FAILURE: 'server certificate revocation status unknown',
  UNABLE_TO_DECRYPT_CRL_SIGNATURE: 'server certificate revocation status unknown',
  UNABLE_TO_GET_CRL_ISSUER: 'server certificate revocation status unknown',
  INVALID_PURPOSE: 'server certificate not valid for TLS server use',
  ERR_TLS_CERT_ALTNAME_INVALID: 'server name mismatch',
  HOSTNAME_MISMATCH: 'server name mismatch',
  ERR_TLS_CLIENT_CERT_REFUSED: 'client certificate refused',
  ERR_TLS_HANDSHAKE_INTERRUPTED: 'TLS handshake interrupted by the server',
  ERR_SSL_WRONG_VERSION_NUMBER: 'server does not speak TLS',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: 'server does not speak TLS',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'TLS version or cipher refused',
  ERR_SSL_NO_PROTOCOLS_AVAILABLE: 'TLS version or cipher refused',
  ERR_SSL_NO_SHARED_CIPHER: 'TLS version or cipher refused',
};

/** Alerts the server sends about the certificate we presented (RFC 8446 6.2; RFC 5246 7.2.2). */
const CLIENT_CERTIFICATE_ALERTS = new Set([
  'CERTIFICATE_REQUIRED', 'BAD_CERTIFICATE', 'UNKNOWN_CA', 'CERTIFICATE_EXPIRED', 'CERTIFICATE_REVOKED',
  'CERTIFICATE_UNKNOWN', 'UNSUPPORTED_CERTIFICATE', 'ACCESS_DENIED',
]);
const VERSION_ALERTS = new Set(['PROTOCOL_VERSION', 'INSUFFICIENT_SECURITY']);

const ALERT_CODE = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_([A-Z_]+)$/;
/** Older Node versions give EPROTO with OpenSSL's text, e.g. "...:tlsv13 alert certificate required:...". */
const ALERT_TEXT = /(?:sslv3|tlsv1|tlsv13) alert ([a-z ]+)/i;

function fromAlert(alert: string, code: string): TlsFailure {
  if (CLIENT_CERTIFICATE_ALERTS.has(alert)) return { code, reason: 'client certificate refused' };
  if (VERSION_ALERTS.has(alert)) return { code, reason: 'TLS version or cipher refused' };
  return { code, reason: 'TLS handshake failed' };
}

function classify(code: string, message: string): TlsFailure | undefined {
  const direct = BY_CODE[code];
  if (direct !== undefined) return { code, reason: direct };
  const alert = ALERT_CODE.exec(code)?.[1] ?? (code === 'EPROTO' ? ALERT_TEXT.exec(message)?.[1]?.toUpperCase().replace(/ /g, '_') : undefined);
  if (alert !== undefined) return fromAlert(alert, code);
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return { code, reason: 'TLS handshake failed' };
  return undefined;
}

/**
 * The TLS failure behind an error, looking through `cause` chains and AggregateError members (undici wraps
 * connection errors), or undefined when the error is not a TLS failure (refused connection, DNS, timeout, ...).
 */
export function describeTlsFailure(err: unknown, depth = 0): TlsFailure | undefined {
  if (depth > 5 || typeof err !== 'object' || err === null) return undefined;
  const { code, message, cause, errors } = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  const found = typeof code === 'string' ? classify(code, typeof message === 'string' ? message : '') : undefined;
  if (found !== undefined) return found;
  if (Array.isArray(errors)) {
    for (const member of errors) {
      const inner = describeTlsFailure(member, depth + 1);
      if (inner !== undefined) return inner;
    }
  }
  return describeTlsFailure(cause, depth + 1);
}

/** Just the reason text, e.g. "server certificate expired"; undefined when the error is not about TLS. */
export function tlsFailureReason(err: unknown): TlsFailureReason | undefined {
  return describeTlsFailure(err)?.reason;
}
