import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https, { type ServerOptions } from 'node:https';
import { SandboxContentStore } from './content/content-store';
import type { GatewayContext, RetrieveResult } from './context';
import { readBody, send, sendJson, sendStream, sendText } from './http-io';
import { handleIti38 } from './iti38/handler';
import { SandboxRegistry } from './iti38/registry';
import { handleIti39 } from './iti39/handler';
import { announcedHost, listen } from './listen';
import { xdsRegistryProtocol } from './protocol';
import { handleRad75 } from './rad75/handler';
import { mtomBody } from './retrieve/mtom-response';
import type { SandboxGatewaySecurity } from './security/options';
import { loadGatewayTls } from './security/server-tls';
import { WsSecurityGate } from './security/wss-gate';
import type { SandboxSeed } from './seed-types';
import { soapFaultResponse, type SoapResponse } from './soap/envelope-out';
import { SoapFault } from './soap/fault';
import { StatsRecorder, type SandboxStats, type SandboxTransaction } from './stats';

/**
 * One sandbox XCA Responding Gateway: POST /xca/iti38 answers Cross Gateway Query, /xca/iti39 Cross Gateway
 * Retrieve and /xca/rad75 Cross Gateway Retrieve Imaging Document Set, all strictly; retrieve answers are MTOM
 * packages whose documents stream from disk or a generator. GET /_sandbox/stats gives the request counters
 * (DELETE resets them). A seed delay holds back one ITI-38 answer on a timer, never the event loop.
 * Secured (opts.security), it is what the NIR is: node:https with mutual TLS and a verified XUA assertion on every
 * SOAP request (security/); open, it is plain node:http and accepts wsse:Security unchecked.
 */
/** What startSandboxGateway needs: who the gateway is, what it knows, where it listens. */
export interface SandboxGatewayOptions {
  readonly name: string;
  readonly homeCommunityId: string;
  readonly seed: SandboxSeed;
  /** 0 or absent: an ephemeral port. */
  readonly port?: number;
  /** Listen address; default 127.0.0.1. A wildcard (0.0.0.0, ::) is announced as loopback in the URLs. */
  readonly host?: string;
  /** Size of documents generated on the fly (9000000076's); default 256 MiB. */
  readonly largeDocumentBytes?: number;
  /** Mutual TLS + WS-Security/XUA from the demo PKI (security/options.ts); absent: plain HTTP, no checks. */
  readonly security?: SandboxGatewaySecurity;
}

/** A running sandbox gateway: its endpoints, its request counters, and how to stop it. */
export interface SandboxGateway {
  readonly name: string;
  readonly homeCommunityId: string;
  readonly baseUrl: string;
  readonly iti38Url: string;
  readonly iti39Url: string;
  readonly rad75Url: string;
  /** True when the gateway demands mutual TLS and a signed XUA assertion (its URLs are https:). */
  readonly secured: boolean;
  stats(): SandboxStats;
  resetStats(): void;
  close(): Promise<void>;
}

const PATHS = { iti38: '/xca/iti38', iti39: '/xca/iti39', rad75: '/xca/rad75', stats: '/_sandbox/stats' } as const;
const TRANSACTION_BY_PATH: ReadonlyMap<string, SandboxTransaction> = new Map([
  [PATHS.iti38, 'iti38'],
  [PATHS.iti39, 'iti39'],
  [PATHS.rad75, 'rad75'],
]);

class GatewayServer {
  readonly server: http.Server | https.Server;
  private readonly timers = new Set<NodeJS.Timeout>();

  /** `tls`: serve HTTPS with these options (client certificates demanded); absent: plain HTTP. */
  constructor(private readonly ctx: GatewayContext, tls?: ServerOptions) {
    const handler = (req: IncomingMessage, res: ServerResponse): void => void this.route(req, res);
    if (tls === undefined) {
      this.server = http.createServer(handler);
      return;
    }
    const server = https.createServer(tls, handler);
    // A refused handshake (no client certificate, an untrusted one) is counted, never logged: the sandbox stays quiet.
    server.on('tlsClientError', () => ctx.stats.tlsHandshakeFailure());
    this.server = server;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://sandbox').pathname;
    try {
      if (path === PATHS.stats) return this.statsRoute(req, res);
      const transaction = TRANSACTION_BY_PATH.get(path);
      if (transaction === undefined) return sendText(res, 404, `no sandbox endpoint at ${path}`);
      if (req.method !== 'POST') return sendText(res, 405, 'SOAP endpoints accept POST only', { Allow: 'POST' });
      this.ctx.stats.transaction(transaction);
      const body = await readBody(req);
      if (body === undefined) return this.write(res, this.fault(new SoapFault('Sender', 'request body exceeds 1 MiB', { httpStatus: 413 })), 0);
      const contentType = req.headers['content-type'];
      if (transaction === 'iti38') {
        const result = await handleIti38(contentType, body, this.ctx);
        return this.write(res, result.response, result.delayMs);
      }
      const handle = transaction === 'iti39' ? handleIti39 : handleRad75;
      this.answerRetrieve(res, await handle(contentType, body, this.ctx));
    } catch {
      this.write(res, this.fault(SoapFault.receiver('internal error in the sandbox gateway')), 0);
    }
  }

  private answerRetrieve(res: ServerResponse, result: RetrieveResult): void {
    if (result.kind === 'soap') return this.write(res, result.response, 0);
    sendStream(res, 200, result.message.contentType, mtomBody(result.message));
  }

  private statsRoute(req: IncomingMessage, res: ServerResponse): void {
    if (req.method === 'GET') return sendJson(res, 200, this.ctx.stats.snapshot());
    if (req.method === 'DELETE') {
      this.ctx.stats.reset();
      res.writeHead(204).end();
      return;
    }
    sendText(res, 405, 'GET or DELETE', { Allow: 'GET, DELETE' });
  }

  private fault(err: SoapFault): SoapResponse {
    this.ctx.stats.fault();
    return soapFaultResponse(err);
  }

  private write(res: ServerResponse, answer: SoapResponse, delayMs: number): void {
    if (delayMs <= 0) return send(res, answer.status, answer.contentType, answer.body);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      send(res, answer.status, answer.contentType, answer.body);
    }, delayMs);
    this.timers.add(timer);
  }

  /** Stop listening, drop held-back answers and open connections. */
  close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    return new Promise((resolve, reject) => {
      this.server.close((err) => (err ? reject(err) : resolve()));
      this.server.closeAllConnections();
    });
  }
}

/** Start one sandbox responding gateway for `homeCommunityId` serving `seed`. Throws SandboxDataError for missing content. */
export async function startSandboxGateway(opts: SandboxGatewayOptions): Promise<SandboxGateway> {
  const protocol = xdsRegistryProtocol();
  const stats = new StatsRecorder(Object.keys(protocol.storedQueries));
  const registry = new SandboxRegistry(opts.seed, protocol);
  const contents = new SandboxContentStore(opts.seed, opts.largeDocumentBytes === undefined ? {} : { largeDocumentBytes: opts.largeDocumentBytes });
  const tls = opts.security === undefined ? undefined : await loadGatewayTls(opts.security);
  const security = tls === undefined ? undefined : new WsSecurityGate(tls.trustedCertsPem, stats, opts.security?.clockSkewSeconds);
  const ctx: GatewayContext = {
    homeCommunityId: opts.homeCommunityId, repositoryUniqueId: opts.seed.repositoryUniqueId, registry, protocol, stats, contents,
    ...(security === undefined ? {} : { security }),
  };
  const gateway = new GatewayServer(ctx, tls?.serverOptions);
  const host = opts.host ?? '127.0.0.1';
  const address = await listen(gateway.server, opts.port ?? 0, host);
  const baseUrl = `${tls === undefined ? 'http' : 'https'}://${announcedHost(host)}:${address.port}`;
  return {
    name: opts.name,
    homeCommunityId: opts.homeCommunityId,
    baseUrl,
    iti38Url: `${baseUrl}${PATHS.iti38}`,
    iti39Url: `${baseUrl}${PATHS.iti39}`,
    rad75Url: `${baseUrl}${PATHS.rad75}`,
    secured: tls !== undefined,
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    close: () => gateway.close(),
  };
}
