import { TLSSocket } from 'node:tls';
import { buildConnector } from 'undici';

/**
 * An undici connector that closes a connection when the server's certificate expires (closeAtExpiry below), and
 * keeps the real reason when a server refuses our client certificate. Two gaps, both
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

/** Longest delay a Node timer takes (about 24.8 days); a later expiry is waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** When the first certificate of the server's chain expires (ms since the epoch); undefined if none is known. */
function chainExpiry(socket: TLSSocket): number | undefined {
  let earliest: number | undefined;
  const seen = new Set<string>();
  for (let cert = socket.getPeerCertificate(true); cert?.fingerprint256 && !seen.has(cert.fingerprint256); cert = cert.issuerCertificate) {
    seen.add(cert.fingerprint256);
    const at = Date.parse(cert.valid_to);
    if (Number.isFinite(at) && (earliest === undefined || at < earliest)) earliest = at;
  }
  return earliest;
}

/**
 * Close an established connection when the server's certificate (or one above it) expires. Verification vouched for
 * the server only until then, and a kept-alive connection with steady traffic would otherwise never close: the next
 * call opens a new connection, whose handshake refuses the expired certificate.
 */
function closeAtExpiry(socket: TLSSocket): void {
  const expires = chainExpiry(socket);
  if (expires === undefined) return;
  let timer: NodeJS.Timeout | undefined;
  const check = (): void => {
    const left = expires - Date.now();
    if (left <= 0) socket.destroy();
    else timer = setTimeout(check, Math.min(left, MAX_TIMER_MS)).unref();
  };
  check();
  socket.once('close', () => clearTimeout(timer));
}

function duringHandshake(err: Error): Error {
  if (codeOf(err) !== 'ECONNRESET' || !/before secure TLS connection/i.test(err.message)) return err;
  return new TlsRefusalError('ERR_TLS_HANDSHAKE_INTERRUPTED', 'The server dropped the connection during the TLS handshake', err);
}

/**
 * `buildConnector(options)`, with the refusals above reported as TLS errors, and every connection closed when the
 * server's certificate expires. For https: origins.
 */
export function createTlsConnector(options: buildConnector.BuildOptions): Connector {
  // No TLS session resumption: a resumed session skips certificate verification, so a server certificate that has
  // expired (or been revoked) since the session began would be accepted again. Pools keep their connections open, so
  // a full handshake is only paid when one opens.
  const base = buildConnector({ ...options, maxCachedSessions: 0 });
  return (connectOptions, callback: ConnectCallback) => base(connectOptions, (err, socket) => {
    if (err !== null) {
      callback(duringHandshake(err), null);
      return;
    }
    if (socket instanceof TLSSocket) {
      watch(socket);
      closeAtExpiry(socket);
    }
    callback(null, socket);
  });
}
