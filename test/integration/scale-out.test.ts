import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { communitiesFile } from '../support/communities';
import { authEnv, testToken } from '../support/tokens';

/**
 * Scale-out as deployed: two facade PROCESSES (each its own event loop, in-process caches, breakers and page copies)
 * sharing one Redis, in front of the sandbox gateways. A paging cursor made by one is served by the other without
 * asking any community, and concurrent identical searches spread over both cost one ITI-38 per community.
 */

const NHS_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';

interface Replica {
  readonly child: ChildProcess;
  readonly base: string;
  /** Everything the process wrote (its JSON log lines). */
  output(): string;
}

let sandbox: Sandbox;
let replicas: Replica[] = [];
/** Every process spawned, stopped in afterAll even when its start failed. */
const spawned: ChildProcess[] = [];
let headers: Record<string, string>;

async function startReplica(env: NodeJS.ProcessEnv): Promise<Replica> {
  const child = spawn(process.execPath, ['-r', path.join(__dirname, '../support/register-swc.js'), path.join(__dirname, '../../src/server.ts')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  spawned.push(child);
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`replica did not announce its port: ${output.slice(-2000)}`)), 120_000);
    child.once('exit', () => clearTimeout(timer));
    const onData = (b: Buffer): void => {
      output += b.toString();
      const m = /"port":(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`replica exited ${code}: ${output.slice(-2000)}`)));
  });
  return { child, base: `http://127.0.0.1:${port}/fhir`, output: () => output };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

const upstream = (): number => sandbox.gateways.reduce((n, g) => n + g.stats().iti38, 0);
const searchUrl = (replica: Replica, nhsNumber: string, extra = ''): string =>
  `${replica.base}/DocumentReference?patient.identifier=${encodeURIComponent(`${NHS_SYSTEM}|${nhsNumber}`)}${extra}`;

async function getJson(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  sandbox = await startSandbox({ portA: 0, portB: 0 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxf-scale-'));
  const shared = {
    PATH: process.env.PATH,
    ...(await authEnv()),
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    COMMUNITIES_FILE: communitiesFile([...sandbox.communities]),
    ALLOW_INSECURE_UPSTREAM: 'true',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: `mxf-scale-${randomUUID()}:`,
    CACHE_KEY_SECRET: randomBytes(24).toString('hex'),
    CACHE_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  };
  replicas = await Promise.all(['a', 'b'].map((name) => startReplica({ ...shared, AUDIT_FILE: path.join(dir, `audit-${name}.jsonl`) })));
  headers = { Authorization: `Bearer ${await testToken()}`, Accept: 'application/fhir+json' };
}, 150_000);

afterAll(async () => {
  await Promise.all(spawned.map(stop));
  await sandbox.close();
});

describe('two facade processes sharing one Redis', () => {
  it('serves every page after the first from the other process, with no upstream call', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const first = await getJson(searchUrl(a, '9000000041', '&_count=100'));
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(300);
    const before = upstream();
    const ids: string[] = first.body.entry.map((e: any) => e.resource.id);
    let next: string | undefined = first.body.link.find((l: any) => l.relation === 'next')?.url;
    while (next !== undefined) {
      // The link names process A's address; the same cursor goes to process B.
      const onB = `${b.base}${new URL(next).pathname.replace(/^\/fhir/, '')}${new URL(next).search}`;
      const page = await getJson(onB);
      expect(page.status).toBe(200);
      expect(page.body.id).toBe(first.body.id);
      ids.push(...page.body.entry.filter((e: any) => e.search.mode === 'match').map((e: any) => e.resource.id));
      next = page.body.link.find((l: any) => l.relation === 'next')?.url;
    }
    expect(ids).toHaveLength(300);
    expect(new Set(ids).size).toBe(300);
    expect(upstream()).toBe(before);
  });

  it('single-flights concurrent identical searches across the processes: one ITI-38 per community', async () => {
    const before = upstream();
    const results = await Promise.all(Array.from({ length: 20 }, (_u, i) => getJson(searchUrl(replicas[i % 2] as Replica, '9000000025', '&_count=3'))));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(upstream() - before).toBe(sandbox.communities.length);
  });

  it('logs a line per request in each process, and no NHS number in clear', () => {
    for (const replica of replicas) {
      const lines = replica.output().split('\n').filter((l) => l.includes('"msg":"request"'));
      expect(lines.length).toBeGreaterThan(0);
      expect(replica.output()).not.toMatch(/9000000041|9000000025/);
    }
  });
});
