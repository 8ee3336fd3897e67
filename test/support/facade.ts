import { Writable } from 'node:stream';
import { startService, type RunningService } from '../../src/service';

/** A facade started in-process for a test, with every log line it wrote (raw, before any scrubbing). */
export interface TestFacade {
  readonly service: RunningService;
  readonly url: string;
  readonly fhir: string;
  readonly logs: string[];
  close(): Promise<void>;
}

/** Start the facade on an ephemeral port; without COMMUNITIES_FILE it brings up the sandbox gateways. */
export async function startTestFacade(env: NodeJS.ProcessEnv = {}): Promise<TestFacade> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(...chunk.toString().split('\n').filter((l) => l !== ''));
      cb();
    },
  });
  const service = await startService({ env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env }, logDestination: sink });
  return { service, url: service.url, fhir: `${service.url}/fhir`, logs, close: () => service.close() };
}

export const NHS_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';

/** GET a FHIR search by NHS number and return status + parsed JSON. */
export async function searchByNhsNumber(
  facade: TestFacade,
  nhsNumber: string,
  extra = '',
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const url = `${facade.fhir}/DocumentReference?patient.identifier=${encodeURIComponent(`${NHS_SYSTEM}|${nhsNumber}`)}${extra}`;
  const res = await fetch(url, { headers: { Accept: 'application/fhir+json', ...headers } });
  return { status: res.status, body: await res.json(), headers: res.headers };
}
