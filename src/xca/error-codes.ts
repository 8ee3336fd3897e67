import { describeTlsFailure } from '../security/tls/tls-errors';
import { XcaError } from './errors';

/**
 * Node / undici / OpenSSL error codes the transports classify, in one place (ITI-38 transport.ts and the MTOM
 * exchange of ITI-39 / RAD-75 share them).
 */

/** OpenSSL / Node certificate and handshake error codes that mean "TLS", not "network". */
export const TLS_CODES: ReadonlySet<string> = new Set([
  'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_REVOKED', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'CERT_SIGNATURE_FAILURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'HOSTNAME_MISMATCH', 'EPROTO',
  'INVALID_CA', 'PATH_LENGTH_EXCEEDED', 'CERT_CHAIN_TOO_LONG', 'INVALID_PURPOSE', 'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY', 'ERROR_IN_CERT_NOT_BEFORE_FIELD', 'ERROR_IN_CERT_NOT_AFTER_FIELD',
]);

export const TIMEOUT_CODES: ReadonlySet<string> = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** First error code found on the error, its cause chain or an AggregateError's members (happy eyeballs). */
export function errorCode(err: unknown, depth = 0): string | undefined {
  if (depth > 4 || typeof err !== 'object' || err === null) return undefined;
  const { code, cause, errors } = err as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  if (Array.isArray(errors)) {
    for (const e of errors) {
      const c = errorCode(e, depth + 1);
      if (c) return c;
    }
  }
  return errorCode(cause, depth + 1);
}

/**
 * A TLS failure as an XcaError whose message says what went wrong in words an operator acts on ("server
 * certificate expired", "server name mismatch", "client certificate refused" ...), or undefined when `err` is not one.
 */
export function tlsFailure(err: unknown): XcaError | undefined {
  const code = errorCode(err);
  const described = describeTlsFailure(err);
  const isTls = described !== undefined || (code !== undefined && (TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_')));
  if (!isTls) return undefined;
  return new XcaError('tls', `TLS with the responding gateway failed: ${described?.reason ?? 'handshake failed'}${code ? ` (${code})` : ''}`, { cause: err });
}
