import { TLSSocket } from 'node:tls';
import { buildConnector } from 'undici';

/**
 * An undici connector that keeps the real reason when a server refuses our client certificate. Two gaps, both
 * seen against node:https with requestCert (test/integration/security/tls.test.ts):
 *
 * 1. Under TLS 1.3 the client finishes its handshake before the server has checked the client certificate
 *    (RFC 8446 4.4.2 / 4.6.2), so the refusal arrives later as an alert (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED,
 *    ..._UNKNOWN_CA). Node emits that error without destroying the socket, the TCP close follows, and undici then
 *    reports "other side closed" (UND_ERR_SOCKET) in its place. Destroying the socket with the alert keeps it.
 * 2. Some servers (node:https among them) refuse an untrusted client certificate by closing the connection with
 *    no alert at all: right after the handshake under TLS 1.3, during it under TLS 1.2 (Node: ECONNRESET "Client
 *    network socket disconnected before secure TLS connection was established"). A close after a completed mutual
 *    TLS handshake with not one byte from the server since (no session ticket, no close_notify, no HTTP answer)
 *    is reported as ERR_TLS_CLIENT_CERT_REFUSED; a reset in mid-handshake as ERR_TLS_HANDSHAKE_INTERRUPTED.
 */

export type Connector = buildConnector.connector;
type ConnectCallback = Parameters<Connector>[1];

/** A refusal recognised by the connector; `code` is one of the two ERR_TLS_ codes above. */
export class TlsRefusalError extends Error {
  readonly code: 'ERR_TLS_CLIENT_CERT_REFUSED' | 'ERR_TLS_HANDSHAKE_INTERRUPTED';

  constructor(code: TlsRefusalError['code'], message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'TlsRefusalError';
    this.code = code;
  }
}

function codeOf(err: unknown): string {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : '';
}

const isTlsCode = (code: string): boolean => code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO';

/** Watch an established connection for the two refusal patterns (registered before undici's own listeners). */
function watch(socket: TLSSocket): void {
  const readAtHandshake = socket.bytesRead;
  const silentClose = (cause?: unknown): void => {
    if (socket.destroyed || socket.bytesRead !== readAtHandshake) return;
    socket.destroy(new TlsRefusalError('ERR_TLS_CLIENT_CERT_REFUSED',
      'The server closed the connection right after the TLS handshake without a word: it refused our client certificate', cause));
  };
  socket.on('error', (err: unknown) => {
    const code = codeOf(err);
    if (isTlsCode(code)) socket.destroy(err as Error);
    else if (code === 'ECONNRESET') silentClose(err);
  });
  socket.on('end', () => silentClose());
}

function duringHandshake(err: Error): Error {
  if (codeOf(err) !== 'ECONNRESET' || !/before secure TLS connection/i.test(err.message)) return err;
  return new TlsRefusalError('ERR_TLS_HANDSHAKE_INTERRUPTED', 'The server dropped the connection during the TLS handshake', err);
}

/** `buildConnector(options)`, with the refusals above reported as TLS errors. For https: origins. */
export function createTlsConnector(options: buildConnector.BuildOptions): Connector {
  const base = buildConnector(options);
  return (connectOptions, callback: ConnectCallback) => base(connectOptions, (err, socket) => {
    if (err !== null) {
      callback(duringHandshake(err), null);
      return;
    }
    if (socket instanceof TLSSocket) watch(socket);
    callback(null, socket);
  });
}
