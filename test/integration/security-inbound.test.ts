import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import { readAuditRecords } from '../../src/audit';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { communitiesFile } from '../support/communities';
import { searchByNhsNumber, startTestFacade, type TestFacade } from '../support/facade';
import { startMisbehavingGateway } from '../support/misbehaving-gateway';
import { authEnv, rawTestToken, testToken } from '../support/tokens';
import { DEMO_AUDIENCE, DEMO_ISSUER } from '../../src/security/inbound';

let sandbox: Sandbox;
let facade: TestFacade;


const search = (f: TestFacade, headers: Record<string, string>) =>
  fetch(`${f.fhir}/DocumentReference?patient.identifier=${encodeURIComponent('https://fhir.nhs.uk/Id/nhs-number|9000000009')}`, { headers });

beforeAll(async () => {
  sandbox = await startSandbox({ portA: 0, portB: 0 });
  facade = await startTestFacade({ COMMUNITIES_FILE: communitiesFile([...sandbox.communities]), ALLOW_INSECURE_UPSTREAM: 'true', RATE_LIMIT_BURST: '1000' });
});
afterAll(async () => {
  await facade.close();
  await sandbox.close();
});

describe('outside the sandbox every FHIR request is authenticated', () => {
  it('leaves /_ping, /_status and /fhir/metadata open', async () => {
    for (const url of [`${facade.url}/_ping`, `${facade.url}/_status`, `${facade.fhir}/metadata`]) expect((await fetch(url)).status).toBe(200);
  });

  it('answers a valid token with the search', async () => {
    const res = await search(facade, facade.headers);
    expect(res.status).toBe(200);
  });

  async function refused(headers: Record<string, string>): Promise<{ status: number; challenge: string | null; body: any }> {
    const res = await search(facade, headers);
    return { status: res.status, challenge: res.headers.get('www-authenticate'), body: await res.json() };
  }

  it('refuses a request without credentials: 401, WWW-Authenticate, ACCESS_DENIED', async () => {
    const r = await refused({});
    expect(r.status).toBe(401);
    expect(r.challenge).toMatch(/^Bearer realm=/);
    expect(r.body.issue[0].details.coding[0].code).toBe('ACCESS_DENIED');
  });

  it.each([
    ['expired', async () => rawTestToken({ iss: DEMO_ISSUER, aud: DEMO_AUDIENCE, exp: Math.floor(Date.now() / 1000) - 120 })],
    ['not yet valid', async () => rawTestToken({ iss: DEMO_ISSUER, aud: DEMO_AUDIENCE, nbf: Math.floor(Date.now() / 1000) + 600, exp: Math.floor(Date.now() / 1000) + 1200 })],
    ['for another audience', async () => rawTestToken({ iss: DEMO_ISSUER, aud: 'someone-else', exp: Math.floor(Date.now() / 1000) + 600 })],
    ['garbage', async () => 'not.a.jwt'],
    ['alg none', async () => `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', iss: DEMO_ISSUER, aud: DEMO_AUDIENCE, exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url')}.`],
    ['from a wrong issuer', async () => rawTestToken({ iss: 'https://evil.example', aud: DEMO_AUDIENCE, exp: Math.floor(Date.now() / 1000) + 600 })],
    [
      'HS256 signed with a public key as the secret',
      async () => {
        const { publicKey } = await generateKeyPair('RS256');
        const secret = new TextEncoder().encode(await exportSPKI(publicKey));
        return new SignJWT({ sub: 'x', ods: 'R9Z01', role: 'R8000', scope: 'user/DocumentReference.rs' })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer(DEMO_ISSUER)
          .setAudience(DEMO_AUDIENCE)
          .setExpirationTime('10m')
          .sign(secret);
      },
    ],
  ])('refuses a token that is %s with 401 invalid_token', async (_why, make) => {
    const r = await refused({ Authorization: `Bearer ${await make()}` });
    expect(r.status).toBe(401);
    expect(r.challenge).toMatch(/invalid_token/);
  });

  it('refuses a valid token without the needed scope: 403', async () => {
    const r = await refused({ Authorization: `Bearer ${await testToken({ scope: 'user/Binary.r' })}` });
    expect(r.status).toBe(403);
    expect(r.body.issue[0].details.coding[0].code).toBe('ACCESS_DENIED');
  });
});

describe('access context', () => {
  it('never serves one organisation’s cached results or paging cursor to another', async () => {
    const first = await searchByNhsNumber(facade, '9000000041');
    const next = first.body.link.find((l: any) => l.relation === 'next').url as string;
    const otherOrg = { Authorization: `Bearer ${await testToken({ ods: 'R9Y01', org_name: 'Another Trust' })}` };
    const stolen = await fetch(next, { headers: otherOrg });
    expect(stolen.status).toBe(400);
    const before = sandbox.gateways.reduce((n, g) => n + g.stats().iti38, 0);
    const own = await searchByNhsNumber(facade, '9000000041', '', otherOrg);
    expect(own.status).toBe(200);
    expect(sandbox.gateways.reduce((n, g) => n + g.stats().iti38, 0)).toBe(before + 2);
    expect((await fetch(next, { headers: facade.headers })).status).toBe(200);
  });
});

describe('rate limiting per caller', () => {
  it('answers 429 TOO_MANY_REQUESTS with Retry-After once the burst is spent', async () => {
    const limited = await startTestFacade({ COMMUNITIES_FILE: communitiesFile([...sandbox.communities]), ALLOW_INSECURE_UPSTREAM: 'true', RATE_LIMIT_BURST: '2', RATE_LIMIT_PER_SECOND: '0.01' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await fetch(`${limited.fhir}/DocumentReference/x`, { headers: limited.headers })).status);
      expect(statuses.slice(0, 2)).not.toContain(429);
      const res = await fetch(`${limited.fhir}/DocumentReference/x`, { headers: limited.headers });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await res.json()) as any).issue[0].details.coding[0].code).toBe('TOO_MANY_REQUESTS');
    } finally {
      await limited.close();
    }
  });
});

describe('the audit trail', () => {
  it('records intent then outcome with the same id, naming the caller, the patient and each community', async () => {
    await searchByNhsNumber(facade, '9000000017');
    const records = [];
    for await (const r of readAuditRecords(facade.auditFile)) records.push(r);
    const mine = records.filter((r) => JSON.stringify(r.event).includes('9000000017'));
    const intent = mine.find((r) => r.phase === 'intent');
    const outcome = mine.find((r) => r.phase === 'outcome' && r.id === intent?.id);
    expect(intent).toBeDefined();
    expect(outcome).toBeDefined();
    expect(records.indexOf(intent!)).toBeLessThan(records.indexOf(outcome!));
    const text = JSON.stringify(outcome!.event);
    expect(text).toContain('test-user-1');
    expect(text).toContain('R9Z01');
    expect(text).toContain('urn:oid:2.999.1.1');
    expect(text).toContain('urn:oid:2.999.1.2');
    expect(outcome!.event.outcome).toBe('0');
  });

  it('answers a subject access request (AuditEvent search) only with an AuditEvent scope', async () => {
    await searchByNhsNumber(facade, '9000000025');
    const url = `${facade.fhir}/AuditEvent?patient.identifier=${encodeURIComponent('https://fhir.nhs.uk/Id/nhs-number|9000000025')}&date=ge2020-01-01`;
    const allowed = await fetch(url, { headers: facade.headers });
    expect(allowed.status).toBe(200);
    const bundle = (await allowed.json()) as any;
    expect(bundle.total).toBeGreaterThanOrEqual(1);
    expect(bundle.entry.every((e: any) => e.resource.resourceType === 'AuditEvent')).toBe(true);
    const denied = await fetch(url, { headers: { Authorization: `Bearer ${await testToken({ scope: 'user/DocumentReference.rs' })}` } });
    expect(denied.status).toBe(403);
  });

  it('rotates the audit file at AUDIT_ROTATE_BYTES and still answers the subject access request from every part', async () => {
    const rotating = await startTestFacade({ COMMUNITIES_FILE: communitiesFile([...sandbox.communities]), ALLOW_INSECURE_UPSTREAM: 'true', AUDIT_ROTATE_BYTES: '4000' });
    try {
      for (let i = 0; i < 6; i += 1) expect((await searchByNhsNumber(rotating, '9000000017')).status).toBe(200);
      const rotated = fs.readdirSync(path.dirname(rotating.auditFile)).filter((n) => n.startsWith(`${path.basename(rotating.auditFile)}.`));
      expect(rotated.length).toBeGreaterThanOrEqual(2);
      const url = `${rotating.fhir}/AuditEvent?patient.identifier=${encodeURIComponent('https://fhir.nhs.uk/Id/nhs-number|9000000017')}`;
      const res = await fetch(url, { headers: rotating.headers });
      expect(res.status).toBe(200);
      const bundle = (await res.json()) as any;
      // The six searches, each once with its outcome, wherever its lines ended up; and this request's own intent.
      const done = bundle.entry.filter((e: any) => e.resource.outcome === '0');
      expect(done).toHaveLength(6);
      expect(done.every((e: any) => e.resource.action === 'E')).toBe(true);
      expect(new Set(bundle.entry.map((e: any) => e.resource.id)).size).toBe(bundle.entry.length);
      expect(bundle.total).toBe(7);
    } finally {
      await rotating.close();
    }
  });

  it('refuses with 503 rather than serve unaudited when the audit file cannot be written', async () => {
    const broken = await startTestFacade({ COMMUNITIES_FILE: communitiesFile([...sandbox.communities]), ALLOW_INSECURE_UPSTREAM: 'true', AUDIT_FILE: '/dev/full' });
    try {
      const before = sandbox.gateways.reduce((n, g) => n + g.stats().iti38, 0);
      const res = await search(broken, broken.headers);
      expect(res.status).toBe(503);
      expect(((await res.json()) as any).issue[0].details.coding[0].code).toBe('SERVICE_UNAVAILABLE');
      expect(sandbox.gateways.reduce((n, g) => n + g.stats().iti38, 0)).toBe(before);
    } finally {
      await broken.close();
    }
  });

  it('does not serve a kept page (cache hit, first page or cursor page) whose intent could not be written', async () => {
    const nhs = '9000000041';
    const url = `${facade.fhir}/DocumentReference?patient.identifier=${encodeURIComponent(`https://fhir.nhs.uk/Id/nhs-number|${nhs}`)}&_count=10`;
    const first = await fetch(url, { headers: facade.headers });
    expect(first.status).toBe(200);
    const next = ((await first.json()) as any).link.find((l: any) => l.relation === 'next').url as string;
    expect((await fetch(next, { headers: facade.headers })).status).toBe(200); // both pages are now kept
    // From here every write of an intent naming this patient to the audit file fails as a full disk would.
    const write = fs.write;
    const failing = jest.spyOn(fs, 'write').mockImplementation(((fd: number, buffer: Buffer, ...rest: any[]) => {
      const callback = rest[rest.length - 1] as (err: NodeJS.ErrnoException | null, written?: number) => void;
      if (Buffer.isBuffer(buffer) && buffer.includes(`"phase":"intent"`) && buffer.includes(nhs)) {
        process.nextTick(() => callback(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })));
        return;
      }
      (write as any)(fd, buffer, ...rest);
    }) as typeof fs.write);
    try {
      for (const target of [url, next]) {
        const res = await fetch(target, { headers: facade.headers });
        expect(res.status).toBe(503);
        const body = (await res.json()) as any;
        expect(body.resourceType).toBe('OperationOutcome');
        expect(body.issue[0].details.coding[0].code).toBe('SERVICE_UNAVAILABLE');
      }
    } finally {
      failing.mockRestore();
    }
    expect((await fetch(url, { headers: facade.headers })).status).toBe(200);
  });

  it('keeps the intent when the process is killed between the upstream call and the response', async () => {
    const slow = await startMisbehavingGateway();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxf-crash-'));
    const auditFile = path.join(dir, 'audit.jsonl');
    const env = {
      ...process.env,
      ...(await authEnv()),
      PORT: '0',
      HOST: '127.0.0.1',
      COMMUNITIES_FILE: communitiesFile([{ homeCommunityId: 'urn:oid:2.999.66.1', name: 'Slow', iti38Url: slow.url('slow'), timeoutMs: 60000 }]),
      ALLOW_INSECURE_UPSTREAM: 'true',
      AUDIT_FILE: auditFile,
      LOG_LEVEL: 'info',
    };
    const child = spawn(process.execPath, ['-r', path.join(__dirname, '../support/register-swc.js'), path.join(__dirname, '../../src/server.ts')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.stdout.on('data', (b: Buffer) => {
          const m = /"port":(\d+)/.exec(b.toString());
          if (m) resolve(Number(m[1]));
        });
        child.once('exit', (code) => reject(new Error(`facade exited ${code}`)));
      });
      const pending = fetch(`http://127.0.0.1:${port}/fhir/DocumentReference?patient.identifier=${encodeURIComponent('https://fhir.nhs.uk/Id/nhs-number|9000000033')}`, {
        headers: { Authorization: `Bearer ${await testToken()}` },
      }).catch(() => undefined);
      for (let i = 0; i < 100 && slow.requests() === 0; i += 1) await new Promise((r) => setTimeout(r, 50));
      expect(slow.requests()).toBe(1);
      child.kill('SIGKILL');
      await pending;
      const records = [];
      for await (const r of readAuditRecords(auditFile)) records.push(r);
      expect(records.filter((r) => r.phase === 'intent' && JSON.stringify(r.event).includes('9000000033'))).toHaveLength(1);
      expect(records.filter((r) => r.phase === 'outcome')).toHaveLength(0);
    } finally {
      child.kill('SIGKILL');
      await slow.close();
    }
  }, 30000);
});
