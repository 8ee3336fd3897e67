import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { communitiesFile } from '../support/communities';
import { startFacadeProcess, stopProcess, type FacadeProcess } from '../support/facade-process';
import { authEnv, testToken } from '../support/tokens';

/**
 * Scale-out as deployed: two facade PROCESSES (each its own event loop, in-process caches, breakers and page copies)
 * sharing one Redis, in front of the sandbox gateways. A paging cursor made by one is served by the other without
 * asking any community, and concurrent identical searches spread over both cost one ITI-38 per community.
 */

const NHS_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';

let sandbox: Sandbox;
let replicas: FacadeProcess[] = [];
let headers: Record<string, string>;

const upstream = (): number => sandbox.gateways.reduce((n, g) => n + g.stats().iti38, 0);
const searchUrl = (replica: FacadeProcess, nhsNumber: string, extra = ''): string =>
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
    // A lock shorter than the slow search below (about 2 s: community B's timeout), so only extending it holds it.
    CACHE_LOCK_TTL_MS: '300',
  };
  const started = await Promise.allSettled(['a', 'b'].map((name) => startFacadeProcess({ ...shared, AUDIT_FILE: path.join(dir, `audit-${name}.jsonl`) })));
  replicas = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])); // stopped in afterAll either way
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  headers = { Authorization: `Bearer ${await testToken()}`, Accept: 'application/fhir+json' };
}, 150_000);

afterAll(async () => {
  await Promise.all(replicas.map((r) => stopProcess(r.child)));
  await sandbox.close();
});

describe('two facade processes sharing one Redis', () => {
  it('serves every page after the first from the other process, with no upstream call', async () => {
    const [a, b] = replicas as [FacadeProcess, FacadeProcess];
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
    const results = await Promise.all(Array.from({ length: 20 }, (_u, i) => getJson(searchUrl(replicas[i % 2] as FacadeProcess, '9000000025', '&_count=3'))));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(upstream() - before).toBe(sandbox.communities.length);
  });

  it('single-flights a search that outlasts the lock\'s life: the holder extends its lock, one ITI-38 per community', async () => {
    const before = upstream();
    // 9000000033: community B answers after 5 s and times out at 2 s, so the search holds its lock for about 2 s.
    const first = getJson(searchUrl(replicas[0] as FacadeProcess, '9000000033'));
    await new Promise((resolve) => setTimeout(resolve, 150));
    const second = getJson(searchUrl(replicas[1] as FacadeProcess, '9000000033'));
    const results = await Promise.all([first, second]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(results[1]?.body.id).toBe(results[0]?.body.id);
    expect(upstream() - before).toBe(sandbox.communities.length);
  });

  it('logs a line per request in each process, and no NHS number in clear', () => {
    for (const replica of replicas) {
      const lines = replica.output().split('\n').filter((l) => l.includes('"msg":"request"'));
      expect(lines.length).toBeGreaterThan(0);
      expect(replica.output()).not.toMatch(/9000000041|9000000025|9000000033/);
    }
  });
});
