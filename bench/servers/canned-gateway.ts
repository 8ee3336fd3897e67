import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cannedIti38Answer } from '../lib/iti38-fixture';

/**
 * Tiny XCA responding gateways for bench:search and bench:fanout: each listener answers every POST with one
 * canned ITI-38 LeafClass response (built once at start by the sandbox's writer) after a fixed delay, on a timer
 * (never blocking). The request is read and ignored, so the gateway costs next to nothing and the delay is exact.
 * BENCH_GATEWAYS: JSON [{ homeCommunityId, delayMs, documents }]. Announces one JSON line {"cannedGateways": [...]}.
 */
interface GatewaySpec {
  readonly homeCommunityId: string;
  readonly delayMs: number;
  readonly documents: number;
}

const ACTION = 'urn:ihe:iti:2007:CrossGatewayQueryResponse';
const timers = new Set<NodeJS.Timeout>();

function serve(spec: GatewaySpec): Promise<http.Server> {
  const body = Buffer.from(cannedIti38Answer({ documents: spec.documents, home: spec.homeCommunityId }), 'utf8');
  const headers = { 'Content-Type': `application/soap+xml; charset=UTF-8; action="${ACTION}"`, 'Content-Length': String(body.length) };
  const server = http.createServer((req, res) => {
    req.resume();
    req.once('end', () => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) res.writeHead(200, headers).end(body);
      }, spec.delayMs);
      timers.add(timer);
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function main(): Promise<void> {
  const specs = JSON.parse(process.env.BENCH_GATEWAYS ?? '[]') as GatewaySpec[];
  const servers = await Promise.all(specs.map(serve));
  const announced = servers.map((s, i) => ({ homeCommunityId: specs[i]?.homeCommunityId, iti38Url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/xca/iti38` }));
  process.stdout.write(`${JSON.stringify({ cannedGateways: announced })}\n`);
  process.once('SIGTERM', () => {
    for (const t of timers) clearTimeout(t);
    for (const s of servers) s.closeAllConnections();
    Promise.all(servers.map((s) => new Promise((r) => s.close(r)))).then(() => process.exit(0), () => process.exit(1));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`canned gateway failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
