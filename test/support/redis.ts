import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * Private redis-server processes for tests: a standalone server on a spare port (to kill and restart), and a
 * three-node cluster. Every process started here is SIGKILLed when the test process exits, whatever happened.
 */

const run = promisify(execFile);
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
}

/** `count` distinct TCP ports that were free a moment ago (all bound to port 0 at once, read, then closed). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** Spawn redis-server with `args` and resolve once it accepts connections (or reject if it exits first). */
function spawnRedis(args: string[], timeoutMs = 5000): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    track(child);
    let output = '';
    let settled = false;
    const settle = (err?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err === undefined) return resolve(child);
      child.kill('SIGKILL');
      reject(err);
    };
    const timer = setTimeout(() => settle(new Error(`redis-server did not start: ${output.slice(-500)}`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) settle();
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => settle(new Error(`redis-server exited (${String(code)}): ${output.slice(-500)}`)));
  });
}

/** SIGKILL a process and wait until it is gone. */
async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

function baseArgs(port: number, dir: string): string[] {
  return ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'];
}

/** A private standalone redis-server. */
export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  /** SIGKILL the server (a crash: no goodbye to clients). */
  kill(): Promise<void>;
  /** Start it again on the same port. */
  restart(): Promise<void>;
  /** Kill it and remove its directory. Safe to call twice. */
  stop(): Promise<void>;
}

/** Start `redis-server --port <spare> --save '' --appendonly no` in a temp directory. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxf-redis-'));
  const [port] = (await freePorts(1)) as [number];
  let child: ChildProcess | undefined = await spawnRedis(baseArgs(port, dir));
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async kill() {
      if (child !== undefined) await killHard(child);
      child = undefined;
    },
    async restart() {
      if (child !== undefined) await killHard(child);
      child = await spawnRedis(baseArgs(port, dir));
    },
    async stop() {
      if (child !== undefined) await killHard(child);
      child = undefined;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A private Redis Cluster (masters only). */
export interface PrivateRedisCluster {
  /** Seed nodes as host:port. */
  readonly nodes: string[];
  /** Kill every node and remove the temp directory. Safe to call twice. */
  stop(): Promise<void>;
}

async function waitForClusterOk(ports: number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const infos = await Promise.all(ports.map((p) => run('redis-cli', ['-p', String(p), 'cluster', 'info']).then((r) => r.stdout, () => '')));
    if (infos.every((info) => info.includes('cluster_state:ok'))) return;
    if (Date.now() > deadline) throw new Error('cluster did not reach cluster_state:ok');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Start `size` cluster-enabled nodes, join them with `redis-cli --cluster create`, wait for cluster_state:ok. */
export async function startPrivateRedisCluster(size = 3): Promise<PrivateRedisCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxf-redis-cluster-'));
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(children.map(killHard));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const spare = await freePorts(size * 2);
    const ports = spare.slice(0, size);
    const started = await Promise.allSettled(
      ports.map((port, i) => {
        const clusterArgs = ['--cluster-enabled', 'yes', '--cluster-config-file', path.join(dir, `nodes-${port}.conf`), '--cluster-port', String(spare[size + i]), '--cluster-node-timeout', '2000'];
        return spawnRedis([...baseArgs(port, dir), ...clusterArgs]);
      }),
    );
    for (const s of started) if (s.status === 'fulfilled') children.push(s.value);
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { timeout: 15_000 });
    await waitForClusterOk(ports, 10_000);
    return { nodes: ports.map((p) => `127.0.0.1:${p}`), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
