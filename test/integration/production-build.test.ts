import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * What docker/Dockerfile does, minus Docker (no engine on these machines): compile with tsconfig.build.json, install
 * production dependencies only (`npm ci --omit=dev`), start `node dist/src/server.js` with NODE_ENV=production, and
 * answer a search in sandbox mode. A runtime import of a dev dependency, or a data file the build forgets, fails here.
 */
const ROOT = path.join(__dirname, '../..');

describe('production build', () => {
  it('starts with NODE_ENV=production and production dependencies only, and answers', async () => {
    const app = fs.mkdtempSync(path.join(os.tmpdir(), 'mxf-prod-'));
    try {
      // As the Dockerfile: the compiled output, the tables and the sandbox seed data, no TypeScript sources.
      execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', path.join(app, 'dist')], { cwd: ROOT, stdio: 'pipe' });
      for (const item of ['package.json', 'package-lock.json', 'mappings', 'fhir-profiles', 'src/sandbox/seed']) {
        fs.cpSync(path.join(ROOT, item), path.join(app, item), { recursive: true });
      }
      execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: app, stdio: 'pipe' });
      expect(fs.existsSync(path.join(app, 'node_modules/typescript'))).toBe(false);
      expect(fs.existsSync(path.join(app, 'node_modules/jest'))).toBe(false);
      const child = spawn(process.execPath, ['dist/src/server.js'], {
        cwd: app,
        env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', SANDBOX_DIR: path.join(app, '.sandbox'), SANDBOX_LARGE_DOCUMENT_BYTES: '1048576' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        let output = '';
        const port = await new Promise<number>((resolve, reject) => {
          const onData = (b: Buffer): void => {
            output += b.toString();
            const m = /"port":(\d+)/.exec(output);
            if (m) resolve(Number(m[1]));
          };
          child.stdout.on('data', onData);
          child.stderr.on('data', onData);
          child.once('exit', (code) => reject(new Error(`server exited ${code}: ${output}`)));
        });
        expect((await fetch(`http://127.0.0.1:${port}/_ping`)).status).toBe(200);
        const search = await fetch(`http://127.0.0.1:${port}/fhir/DocumentReference?patient.identifier=${encodeURIComponent('https://fhir.nhs.uk/Id/nhs-number|9000000009')}`);
        expect(search.status).toBe(200);
        expect(((await search.json()) as { total: number }).total).toBeGreaterThanOrEqual(3);
      } finally {
        child.kill('SIGTERM');
      }
    } finally {
      fs.rmSync(app, { recursive: true, force: true });
    }
  }, 180_000);
});
