import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleIti38, type Iti38Context } from './iti38/handler';
import { SandboxRegistry } from './iti38/registry';
import { readBody, send, sendJson, sendText } from './http-io';
import { xdsRegistryProtocol } from './protocol';
import type { SandboxSeed } from './seed-types';
import { soapFaultResponse, type SoapResponse } from './soap/envelope-out';
import { SoapFault } from './soap/fault';
import { StatsRecorder, type SandboxStats, type SandboxTransaction } from './stats';

/**
 * One sandbox XCA Responding Gateway on node:http: POST /xca/iti38 answers Cross Gateway Query strictly;
 * /xca/iti39 and /xca/rad75 answer a SOAP 1.2 Fault until retrieve is implemented; GET /_sandbox/stats gives the
 * request counters (DELETE resets them). A seed delay holds back one answer on a timer, never the event loop.
 */
/** What startSandboxGateway needs: who the gateway is, what it knows, where it listens. */
export interface SandboxGatewayOptions {
  readonly name: string;
  readonly homeCommunityId: string;
  readonly seed: SandboxSeed;
  /** 0 or absent: an ephemeral port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
}

/** A running sandbox gateway: its endpoints, its request counters, and how to stop it. */
export interface SandboxGateway {
  readonly name: string;
  readonly homeCommunityId: string;
  readonly baseUrl: string;
  readonly iti38Url: string;
  readonly iti39Url: string;
  readonly rad75Url: string;
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
  readonly server = http.createServer((req, res) => void this.route(req, res));
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly ctx: Iti38Context) {}

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
      if (transaction !== 'iti38') return this.write(res, this.fault(SoapFault.receiver(`${transaction.toUpperCase()} is not supported by the sandbox yet`)), 0);
      const result = handleIti38(req.headers['content-type'], body, this.ctx);
      this.write(res, result.response, result.delayMs);
    } catch {
      this.write(res, this.fault(SoapFault.receiver('internal error in the sandbox gateway')), 0);
    }
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

function listen(server: http.Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Start one sandbox responding gateway for `homeCommunityId` serving `seed`. */
export async function startSandboxGateway(opts: SandboxGatewayOptions): Promise<SandboxGateway> {
  const protocol = xdsRegistryProtocol();
  const stats = new StatsRecorder(Object.keys(protocol.storedQueries));
  const registry = new SandboxRegistry(opts.seed, protocol);
  const gateway = new GatewayServer({ homeCommunityId: opts.homeCommunityId, repositoryUniqueId: opts.seed.repositoryUniqueId, registry, protocol, stats });
  const host = opts.host ?? '127.0.0.1';
  const address = await listen(gateway.server, opts.port ?? 0, host);
  const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  return {
    name: opts.name,
    homeCommunityId: opts.homeCommunityId,
    baseUrl,
    iti38Url: `${baseUrl}${PATHS.iti38}`,
    iti39Url: `${baseUrl}${PATHS.iti39}`,
    rad75Url: `${baseUrl}${PATHS.rad75}`,
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    close: () => gateway.close(),
  };
}
