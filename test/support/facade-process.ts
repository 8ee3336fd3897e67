import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** A facade running as its own node process (src/server.ts through the swc register hook). */
export interface FacadeProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** FHIR base URL, e.g. http://127.0.0.1:PORT/fhir. */
  readonly base: string;
  /** Everything the process wrote so far (its JSON log lines, stdout and stderr). */
  output(): string;
}

/**
 * Start `src/server.ts` in a new process with exactly `env`, resolving once it announced its port (its startup log
 * line, so LOG_LEVEL must be info or lower). Rejects, and kills the process, if it exits or stays silent `timeoutMs`.
 */
export function startFacadeProcess(env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<FacadeProcess> {
  const child = spawn(process.execPath, ['-r', path.join(__dirname, 'register-swc.js'), path.join(__dirname, '../../src/server.ts')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise<FacadeProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the facade process did not announce its port: ${output.slice(-2000)}`));
    }, timeoutMs);
    const onExit = (code: number | null): void => {
      clearTimeout(timer);
      reject(new Error(`the facade process exited (${code}) before listening: ${output.slice(-2000)}`));
    };
    const onData = (b: Buffer): void => {
      output += b.toString();
      const m = /"port":(\d+)/.exec(output);
      if (m === null) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      const port = Number(m[1]);
      resolve({ child, port, base: `http://127.0.0.1:${port}/fhir`, output: () => output });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** SIGTERM (SIGKILL after `graceMs`), resolving when the process has exited. */
export function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
