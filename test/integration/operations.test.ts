import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { communitiesFile } from '../support/communities';
import { searchByNhsNumber, startTestFacade } from '../support/facade';
import { startMisbehavingGateway, type Behaviour } from '../support/misbehaving-gateway';
import { startFacadeProcess } from '../support/facade-process';
import { authEnv, testToken } from '../support/tokens';

let sandbox: Sandbox;
let bad: Awaited<ReturnType<typeof startMisbehavingGateway>>;
beforeAll(async () => {
  sandbox = await startSandbox({ portA: 0, portB: 0 });
  bad = await startMisbehavingGateway();
});
afterAll(async () => {
  await bad.close();
  await sandbox.close();
});

const badCommunity = (b: Behaviour, timeoutMs = 3000) => ({ homeCommunityId: 'urn:oid:2.999.66.1', name: 'Flaky', iti38Url: bad.url(b), timeoutMs });
const facadeWith = (communities: unknown[], env: Record<string, string> = {}) =>
  startTestFacade({ COMMUNITIES_FILE: communitiesFile(communities), ALLOW_INSECURE_UPSTREAM: 'true', ...env });
const upstream = () => sandbox.gateways.reduce((n, g) => n + g.stats().iti38, 0);

describe('metrics', () => {
  it('exposes request, upstream and cache metrics on /metrics with no patient data in any label', async () => {
    const facade = await facadeWith([sandbox.communities[0]]);
    try {
      await searchByNhsNumber(facade, '9000000009');
      await searchByNhsNumber(facade, '9000000009');
      const res = await fetch(`${facade.url}/metrics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toMatch(/http_requests_total\{[^}]*route="\/fhir\/DocumentReference"[^}]*status="200"[^}]*\} 2/);
      expect(text).toMatch(/upstream_requests_total\{[^}]*community="Sandbox Community A"[^}]*transaction="ITI-38"[^}]*outcome="success"[^}]*\} 1/);
      expect(text).toMatch(/cache_operations_total\{[^}]*result="hit"[^}]*\} 1/);
      expect(text).toMatch(/circuit_state\{community="Sandbox Community A"\} 0/);
      expect(text).toMatch(/certificate_expiry_days|process_resident_memory_bytes/);
      expect(text).not.toContain('9000000009');
    } finally {
      await facade.close();
    }
  });
});

describe('resilience per community', () => {
  it('opens the circuit after repeated failures and answers that community at once, without calling it', async () => {
    const facade = await facadeWith([sandbox.communities[0], badCommunity('http500')], { CIRCUIT_FAILURE_THRESHOLD: '2', CIRCUIT_RESET_MS: '60000' });
    try {
      for (let i = 0; i < 2; i += 1) await searchByNhsNumber(facade, '9000000009', '', { 'Cache-Control': 'no-cache' });
      const calls = bad.requests();
      const { status, body } = await searchByNhsNumber(facade, '9000000009', '', { 'Cache-Control': 'no-cache' });
      expect(status).toBe(200);
      expect(bad.requests()).toBe(calls);
      const outcome = body.entry.find((e: any) => e.search.mode === 'outcome').resource;
      expect(outcome.issue[0].diagnostics).toMatch(/Flaky.*unavailable.*retry after/);
      expect(body.entry.some((e: any) => e.search.mode === 'match')).toBe(true);
      const status2 = (await (await fetch(`${facade.url}/_status`)).json()) as any;
      expect(status2.communities.find((c: any) => c.name === 'Flaky').circuit).toBe('open');
    } finally {
      await facade.close();
    }
  });

  it('retries a query once when the connection is reset before any answer', async () => {
    const facade = await facadeWith([sandbox.communities[0], badCommunity('reset')]);
    try {
      const before = bad.requests();
      await searchByNhsNumber(facade, '9000000009');
      expect(bad.requests() - before).toBe(2);
    } finally {
      await facade.close();
    }
  });

  it('bounds the whole fan-out by one request deadline', async () => {
    const facade = await facadeWith([sandbox.communities[0], badCommunity('slow', 20000)], { REQUEST_DEADLINE_MS: '800' });
    try {
      const started = Date.now();
      const { status, body } = await searchByNhsNumber(facade, '9000000009');
      expect(Date.now() - started).toBeLessThan(3000);
      expect(status).toBe(200);
      const outcome = body.entry.find((e: any) => e.search.mode === 'outcome').resource;
      expect(outcome.issue[0].code).toBe('timeout');
    } finally {
      await facade.close();
    }
  });
});

describe('trace context', () => {
  it('continues the caller’s traceparent upstream with a child span', async () => {
    const facade = await facadeWith([badCommunity('http500')]);
    try {
      const traceId = randomBytes(16).toString('hex');
      await searchByNhsNumber(facade, '9000000009', '', { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` });
      const sent = String(bad.lastHeaders().traceparent);
      expect(sent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      expect(facade.logs.some((l) => l.includes(traceId))).toBe(true);
    } finally {
      await facade.close();
    }
  });
});

describe('scale-out: replicas sharing one Redis', () => {
  it('sends one ITI-38 per community for concurrent identical searches spread over two replicas', async () => {
    const env = {
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: `mxf-ops-${randomUUID()}:`,
      CACHE_KEY_SECRET: randomBytes(24).toString('hex'),
      CACHE_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    };
    const one = await facadeWith([...sandbox.communities], env);
    const two = await facadeWith([...sandbox.communities], env);
    try {
      const before = upstream();
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => searchByNhsNumber(i % 2 === 0 ? one : two, '9000000017')));
      expect(results.every((r) => r.status === 200)).toBe(true);
      expect(upstream() - before).toBe(2);
    } finally {
      await two.close();
      await one.close();
    }
  });
});

describe('SIGTERM', () => {
  it('stops accepting, finishes the in-flight request and exits 0', async () => {
    const slowServer = await startMisbehavingGateway();
    const env = {
      ...process.env,
      ...(await authEnv()),
      PORT: '0',
      HOST: '127.0.0.1',
      COMMUNITIES_FILE: communitiesFile([sandbox.communities[0], { homeCommunityId: 'urn:oid:2.999.66.2', name: 'Slow', iti38Url: slowServer.url('slow'), timeoutMs: 1500 }]),
      ALLOW_INSECURE_UPSTREAM: 'true',
      AUDIT_FILE: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mxf-term-')), 'audit.jsonl'),
      SHUTDOWN_GRACE_MS: '5000',
    };
    const facade = await startFacadeProcess(env).catch(async (err: unknown) => {
      await slowServer.close();
      throw err;
    });
    const { child, port } = facade;
    try {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const inFlight = fetch(`http://127.0.0.1:${port}/fhir/DocumentReference?patient.identifier=${encodeURIComponent('https://fhir.nhs.uk/Id/nhs-number|9000000009')}`, {
        headers: { Authorization: `Bearer ${await testToken()}` },
      });
      for (let i = 0; i < 100 && slowServer.requests() === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGTERM');
      const res = await inFlight;
      expect(res.status).toBe(200);
      await expect(fetch(`http://127.0.0.1:${port}/_ping`)).rejects.toThrow();
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await slowServer.close();
    }
  }, 30000);
});

describe('SIGHUP', () => {
  it('reloads the credentials and keeps serving', async () => {
    const env = {
      ...process.env,
      ...(await authEnv()),
      PORT: '0',
      HOST: '127.0.0.1',
      COMMUNITIES_FILE: communitiesFile([sandbox.communities[0]]),
      ALLOW_INSECURE_UPSTREAM: 'true',
      AUDIT_FILE: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mxf-hup-')), 'audit.jsonl'),
    };
    const { child, port, output } = await startFacadeProcess(env);
    try {
      child.kill('SIGHUP');
      for (let i = 0; i < 100 && !output().includes('credentials reloaded'); i += 1) await new Promise((r) => setTimeout(r, 20));
      expect(output()).toContain('"msg":"credentials reloaded"');
      expect(child.exitCode).toBeNull();
      expect((await fetch(`http://127.0.0.1:${port}/_ping`)).status).toBe(200);
    } finally {
      child.kill('SIGKILL');
    }
  }, 30000);
});
