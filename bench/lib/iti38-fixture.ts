import { createHash } from 'node:crypto';
import { xdsRegistryProtocol } from '../../src/sandbox/protocol';
import { loadSandboxSeed } from '../../src/sandbox/seed';
import type { SandboxDocument } from '../../src/sandbox/seed-types';
import { adhocQueryResponse } from '../../src/sandbox/iti38/response';
import { soapEnvelope } from '../../src/sandbox/soap/envelope-out';
import { ACTIONS } from '../../src/sandbox/soap/constants';

/**
 * A canned ITI-38 answer (ITI TF-2 3.38.4.2) written by the sandbox's own response writer, so the bytes the
 * benchmarks feed the facade are exactly what a strict responding gateway sends: SOAP 1.2 envelope, ebRS
 * AdhocQueryResponse, LeafClass ExtrinsicObjects with every slot, classification and external identifier.
 * Documents are copies of a sandbox DocumentEntry (9000000041's generated reports, ~5 KB of XML each), each with its own
 * entryUUID, uniqueId, title and creation time.
 */

/** The sandbox test patient whose documents the canned answers carry (an official NHS test number). */
export const BENCH_PATIENT = '9000000041';
const SEED = 'community-a';

export interface CannedAnswerOptions {
  /** How many LeafClass ExtrinsicObjects. */
  readonly documents: number;
  /** homeCommunityId stamped on every object (the community the facade asked). */
  readonly home: string;
}

function uuidFor(n: number, home: string): string {
  const h = createHash('sha1').update(`bench#${home}#${n}`).digest('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function dtm(n: number): string {
  return new Date(Date.UTC(2020, 0, 1) + n * 3_600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function copies(template: SandboxDocument, count: number, home: string): SandboxDocument[] {
  return Array.from({ length: count }, (_unused, i) => ({
    ...template,
    entryUUID: uuidFor(i, home),
    uniqueId: `${template.uniqueId}.${i + 1}`,
    title: `${template.title} ${i + 1}`,
    creationTime: dtm(i),
  }));
}

/** The serialised SOAP envelope of a Success AdhocQueryResponse with `documents` LeafClass entries. */
export function cannedIti38Answer(options: CannedAnswerOptions): string {
  const seed = loadSandboxSeed(SEED);
  const patient = seed.patients.find((p) => p.nhsNumber === BENCH_PATIENT);
  const template = patient?.documents[0];
  if (template === undefined) throw new Error(`the ${SEED} seed has no document for the bench patient`);
  const documents = copies(template, options.documents, options.home).map((document) => ({ document, nhsNumber: BENCH_PATIENT }));
  const body = adhocQueryResponse(
    { home: options.home, repositoryUniqueId: seed.repositoryUniqueId, returnType: 'LeafClass', documents, errors: [] },
    xdsRegistryProtocol(),
  );
  return soapEnvelope(ACTIONS.iti38Response, 'urn:uuid:00000000-0000-4000-8000-0000000be7c4', body);
}
