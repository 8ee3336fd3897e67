import path from 'node:path';
import { readValidatedJson, SandboxDataError, seedDir } from './json-table';
import type { PatientBehaviour, SandboxDocument, SandboxPatient, SandboxSeed } from './seed-types';

/**
 * Loads a seed file from src/sandbox/seed/ (validated against schemas/seed.schema.json) and expands its
 * document templates into plain DocumentEntries, deterministically: the n-th generated document always has the
 * same entryUUID, uniqueId, title and creation time.
 */
export type { SandboxDocument, SandboxPatient, SandboxSeed } from './seed-types';

/** A block of generated documents (e.g. the 300 of 9000000041), sharing one content file. `{n}` in title is the 1-based number. */
interface SeedGenerator {
  readonly count: number;
  /** `urn:uuid:xxxxxxxx-xxxx-xxxx-xxxx-`; the last group is n as 12 hex digits. */
  readonly entryUuidPrefix: string;
  /** uniqueId of document n is `<uniqueIdRoot>.<n>`. */
  readonly uniqueIdRoot: string;
  /** Creation time of document 1 (DTM to the second, UTC); each next one is `stepMinutes` later. */
  readonly firstCreationTime: string;
  readonly stepMinutes: number;
  readonly title: string;
  readonly content: string;
  readonly document: Omit<SandboxDocument, 'entryUUID' | 'uniqueId' | 'creationTime' | 'title' | 'content'>;
}

interface SeedFilePatient {
  readonly nhsNumber: string;
  readonly behaviour?: PatientBehaviour;
  readonly documents?: readonly SandboxDocument[];
  readonly generated?: readonly SeedGenerator[];
}

interface SeedFile extends Omit<SandboxSeed, 'patients'> {
  readonly patients: readonly SeedFilePatient[];
}

function dtmToDate(dtm: string): Date {
  const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((i, k) => Number(dtm.slice(i, k === 0 ? 4 : i + 2)));
  return new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
}

function dateToDtm(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function expand(gen: SeedGenerator): SandboxDocument[] {
  const start = dtmToDate(gen.firstCreationTime).getTime();
  return Array.from({ length: gen.count }, (_unused, i) => {
    const n = String(i + 1);
    return {
      ...gen.document,
      entryUUID: `${gen.entryUuidPrefix}${(i + 1).toString(16).padStart(12, '0')}`,
      uniqueId: `${gen.uniqueIdRoot}.${n}`,
      creationTime: dateToDtm(new Date(start + i * gen.stepMinutes * 60_000)),
      title: gen.title.replace(/\{n\}/g, n),
      content: gen.content,
    };
  });
}

function toPatient(p: SeedFilePatient): SandboxPatient {
  const documents = [...(p.documents ?? []), ...(p.generated ?? []).flatMap(expand)];
  return { nhsNumber: p.nhsNumber, ...(p.behaviour ? { behaviour: p.behaviour } : {}), documents };
}

/** Refuse seeds that would make the registry ambiguous: a patient twice, or a repeated entryUUID / uniqueId. */
function checkUnique(file: string, seed: SandboxSeed): void {
  const seen = new Set<string>();
  const once = (key: string): void => {
    if (seen.has(key)) throw new SandboxDataError(file, `duplicate ${key}`);
    seen.add(key);
  };
  for (const p of seed.patients) {
    once(`patient ${p.nhsNumber}`);
    for (const d of p.documents) {
      once(`entryUUID ${d.entryUUID}`);
      once(`uniqueId ${d.uniqueId}`);
    }
  }
}

/** Load `<name>.json` from `dir` (default src/sandbox/seed/), validate and expand it. */
export function loadSandboxSeed(name: string, dir: string = seedDir()): SandboxSeed {
  const file = path.join(dir, `${name}.json`);
  const raw = readValidatedJson<SeedFile>(file, 'seed');
  const seed: SandboxSeed = {
    repositoryUniqueId: raw.repositoryUniqueId,
    ...(raw.community ? { community: raw.community } : {}),
    ...(raw.imaging ? { imaging: raw.imaging } : {}),
    patients: raw.patients.map(toPatient),
  };
  checkUnique(file, seed);
  return seed;
}
