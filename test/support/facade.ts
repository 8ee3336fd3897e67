import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { startService, type RunningService } from '../../src/service';
import { authEnv, testToken } from './tokens';
import { validateResource } from '../../src/fhir/profile-validator';
import { validateR4 } from './r4-validator';

/** A facade started in-process for a test, with every log line it wrote (raw, before any scrubbing). */
export interface TestFacade {
  readonly service: RunningService;
  readonly url: string;
  readonly fhir: string;
  readonly logs: string[];
  /** Headers every request to this facade needs (a bearer token outside the open sandbox). */
  readonly headers: Record<string, string>;
  /** This facade's own audit file. */
  readonly auditFile: string;
  close(): Promise<void>;
}

/** One demo PKI for the whole test run (ensureDemoPki reuses it; creating RSA keys is the slow part). */
export const TEST_SANDBOX_DIR = path.join(os.tmpdir(), 'mxf-test-sandbox');

/** Start the facade on an ephemeral port; without COMMUNITIES_FILE it brings up the sandbox gateways. */
export async function startTestFacade(env: NodeJS.ProcessEnv = {}): Promise<TestFacade> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(...chunk.toString().split('\n').filter((l) => l !== ''));
      // Every raw line also goes to the run's log folder: jest's globalTeardown greps them all for NHS numbers.
      if (process.env.MXF_TEST_LOG_DIR) fs.appendFileSync(path.join(process.env.MXF_TEST_LOG_DIR, `${process.pid}.log`), chunk);
      cb();
    },
  });
  const auditFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mxf-audit-')), 'audit.jsonl');
  const configured = env.COMMUNITIES_FILE !== undefined && env.COMMUNITIES_FILE !== '';
  const base = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', SANDBOX_DIR: TEST_SANDBOX_DIR, AUDIT_FILE: auditFile, ...(configured ? await authEnv() : {}) };
  const service = await startService({ env: { ...base, ...env }, logDestination: sink });
  const headers: Record<string, string> = configured ? { Authorization: `Bearer ${await testToken()}` } : {};
  return { service, url: service.url, fhir: `${service.url}/fhir`, logs, headers, auditFile, close: () => service.close() };
}

export const NHS_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';

/**
 * Every FHIR resource a search returns to a test is checked twice: against fhir-profiles/ (what we promise) and,
 * independently, against the FHIR R4 base definitions (@medplum/core).
 */
export function assertValidFhir(resource: any): void {
  if (resource?.resourceType === undefined) return;
  const r4 = validateR4(resource);
  if (!r4.valid) throw new Error(`not valid FHIR R4: ${r4.issues.slice(0, 5).join('; ')}`);
  const profile = resource.resourceType === 'Bundle' && resource.entry?.every((e: any) => e.resource.resourceType !== 'ImagingStudy') ? 'Bundle' : resource.resourceType;
  if (['Bundle', 'OperationOutcome', 'DocumentReference', 'ImagingStudy'].includes(profile)) {
    const own = validateResource(resource, profile);
    if (!own.valid) throw new Error(`not valid against fhir-profiles/: ${own.errors.slice(0, 5).join('; ')}`);
  }
}

/** GET a FHIR search by NHS number and return status + parsed JSON. */
export async function searchByNhsNumber(
  facade: TestFacade,
  nhsNumber: string,
  extra = '',
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const url = `${facade.fhir}/DocumentReference?patient.identifier=${encodeURIComponent(`${NHS_SYSTEM}|${nhsNumber}`)}${extra}`;
  const res = await fetch(url, { headers: { Accept: 'application/fhir+json', ...facade.headers, ...headers } });
  const body = await res.json();
  assertValidFhir(body);
  return { status: res.status, body, headers: res.headers };
}
