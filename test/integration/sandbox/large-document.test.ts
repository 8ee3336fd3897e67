import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../../../src/config/paths';
import { attr } from '../../../src/sandbox/xml/tree';
import { HOME_A, descendants, findSlots, iti38Request, NS, post } from './helpers';
import { iti39Request, REPO_A, streamOneDocument } from './retrieve-helpers';

/**
 * The large document of 9000000076 (default 256 MiB), from the sandbox CLI running in a process of its own so its
 * memory can be watched: the metadata's size and SHA-1 are computed lazily, the whole document is read back and
 * hashed, and the sandbox's resident set must grow far less than the document (it streams, it never holds it).
 * SANDBOX_HOST=0.0.0.0 (as docker compose sets it) must still announce usable loopback URLs. The CLI runs with
 * SANDBOX_INSECURE=true: this test is about streaming, and plain HTTP keeps TLS out of the memory measured.
 */
const MiB = 1024 * 1024;
const DOCUMENT_BYTES = 256 * MiB;

interface Announced {
  readonly iti38Url: string;
  readonly iti39Url: string;
}

let child: ChildProcess;
let gatewayA: Announced;

function startCli(): Promise<Announced[]> {
  child = spawn(process.execPath, ['-r', path.join(__dirname, '../../support/register-swc.js'), fromRoot('src', 'sandbox', 'cli.ts')], {
    env: { ...process.env, SANDBOX_A_PORT: '0', SANDBOX_B_PORT: '0', SANDBOX_HOST: '0.0.0.0', SANDBOX_LARGE_DOCUMENT_BYTES: String(DOCUMENT_BYTES), SANDBOX_INSECURE: 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      // One line per gateway, then the security line: wait for all three.
      const lines = out.split('\n').slice(0, -1).map((l) => JSON.parse(l) as Announced & { security?: string });
      if (lines.length === 3) resolve(lines.filter((l) => l.security === undefined));
    });
    child.once('exit', (code) => reject(new Error(`sandbox CLI exited with ${code} before announcing itself`)));
  });
}

/** VmRSS / VmHWM (peak) of a process, in bytes (Linux /proc). */
function memory(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

beforeAll(async () => {
  [gatewayA] = (await startCli()) as [Announced, Announced];
}, 20_000);
afterAll(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});

describe('the large document of 9000000076', () => {
  let size = 0;
  let hash = '';

  it('is announced on loopback although the gateways listen on 0.0.0.0', () => {
    expect(gatewayA.iti38Url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/xca\/iti38$/);
  });

  it('ITI-38 gives its real size and SHA-1, computed on first demand', async () => {
    const res = await post(gatewayA.iti38Url, iti38Request({ home: HOME_A, slots: findSlots('9000000076') }));
    const slot = (name: string): string | undefined =>
      descendants(res.root, NS.rim, 'Slot').find((s) => attr(s, 'name') === name)?.children[0]?.children[0]?.text;
    size = Number(slot('size'));
    hash = slot('hash') ?? '';
    expect(size).toBe(DOCUMENT_BYTES);
    expect(hash).toMatch(/^[0-9a-f]{40}$/);
  });

  it('ITI-39 streams all of it: the SHA-1 of the bytes received equals the metadata, and the sandbox does not hold it', async () => {
    const pid = child.pid as number;
    const before = memory(pid);
    const got = await streamOneDocument(gatewayA.iti39Url, iti39Request(gatewayA.iti39Url, [{ home: HOME_A, repository: REPO_A, document: '2.999.1.1.1.76.1' }]));
    const after = memory(pid);
    expect(got).toEqual({ size, sha1: hash, mimeType: 'application/pdf' });
    // Peak resident set during the transfer, above the resident set before it: a few MiB of buffers and GC slack.
    const growth = after.peak - before.rss;
    expect(growth).toBeLessThan(DOCUMENT_BYTES / 8);
  }, 60_000);
});
