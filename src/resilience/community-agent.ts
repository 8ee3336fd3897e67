import type { ConnectionOptions, SecureVersion } from 'node:tls';
import { Agent } from 'undici';
import { MIN_TLS_VERSION } from '../security/tls/mtls-agent';
import { createTlsConnector, type Connector } from '../security/tls/tls-connector';

/**
 * The undici Agent for one community: a keep-alive pool (no TCP + TLS handshake per ITI-38), with a cap on
 * concurrent connections per origin so that a burst of searches cannot open hundreds of sockets to one
 * responding gateway (requests beyond the cap wait in undici's queue, bounded by the caller's deadline).
 *
 * TLS options are passed through unchanged to the connector (security/tls/tls-connector.ts, which reports a
 * refused client certificate as a TLS error). Switching certificate verification off, or allowing a protocol
 * below TLS 1.2 (BCP 195 / RFC 9325), is refused here: the ATNA secure node (ITI TF-2 3.19) has no such mode.
 */

export interface CommunityAgentOptions {
  /** Most connections open at once to one origin (undici `connections`, with pipelining 1). */
  readonly connections: number;
  /** Idle time after which a kept-alive connection is closed; also the ceiling for a server's Keep-Alive hint. */
  readonly keepAliveTimeoutMs: number;
  /**
   * node:tls options (cert, key, ca, crl, servername, minVersion...), for https: origins; or a function answering the
   * options in force, read at every new connection, so that new credentials (a reload) apply to the connections opened
   * after them while open ones finish as they are.
   */
  readonly tls?: ConnectionOptions | (() => ConnectionOptions);
}

/** Protocol versions below the floor, as node:tls names them. */
const TOO_OLD: ReadonlySet<SecureVersion> = new Set<SecureVersion>(['TLSv1', 'TLSv1.1']);

function checkTls(tls: ConnectionOptions): void {
  if (tls.rejectUnauthorized === false) {
    throw new TypeError('community agent: rejectUnauthorized may not be false; certificate verification is always on');
  }
  if (tls.minVersion !== undefined && TOO_OLD.has(tls.minVersion)) {
    throw new TypeError(`community agent: minVersion ${tls.minVersion} is below the floor of ${MIN_TLS_VERSION}`);
  }
}

function positive(value: number, name: string, integer: boolean): void {
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new RangeError(`community agent: ${name} must be a positive ${integer ? 'integer' : 'number'}`);
  }
}

/**
 * Make the Agent; pass it as `dispatcher` to every call to that community and close() it on shutdown.
 * @throws TypeError when `tls` would weaken verification; RangeError for a bad cap or timeout.
 */
export function createCommunityAgent(opts: CommunityAgentOptions): Agent {
  positive(opts.connections, 'connections', true);
  positive(opts.keepAliveTimeoutMs, 'keepAliveTimeoutMs', false);
  return new Agent({
    connections: opts.connections,
    pipelining: 1,
    keepAliveTimeout: opts.keepAliveTimeoutMs,
    keepAliveMaxTimeout: opts.keepAliveTimeoutMs,
    ...(opts.tls !== undefined ? { connect: followingTls(opts.tls) } : {}),
  });
}

/** A connector for the TLS options in force: built (and checked) again only when they change. */
function followingTls(tls: ConnectionOptions | (() => ConnectionOptions)): Connector {
  const current = typeof tls === 'function' ? tls : () => tls;
  const build = (options: ConnectionOptions): { options: ConnectionOptions; connector: Connector } => {
    checkTls(options);
    return { options, connector: createTlsConnector({ ...options }) };
  };
  let built = build(current()); // the first options are checked when the agent is made
  return (connectOptions, callback) => {
    const options = current();
    if (options !== built.options) {
      try {
        built = build(options);
      } catch (err) {
        callback(err as Error, null);
        return;
      }
    }
    built.connector(connectOptions, callback);
  };
}
