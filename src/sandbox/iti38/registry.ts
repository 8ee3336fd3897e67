import type { XdsRegistryProtocol } from '../protocol';
import type { PatientBehaviour, SandboxDocument, SandboxPatient, SandboxSeed } from '../seed-types';
import { matchesFindQuery } from './filter';
import type { FindDocumentsQuery, GetDocumentsQuery, Iti38Query } from './query-types';
import { RegistryQueryError } from './registry-error';

/**
 * The in-memory registry of one sandbox gateway: the seed indexed by patient, entryUUID and uniqueId, and the
 * execution of a decoded stored query against it, including the seed's per-patient behaviour.
 */
/** A DocumentEntry found, with the NHS number of its patient (for its patientId ExternalIdentifier). */
export interface FoundDocument {
  readonly document: SandboxDocument;
  readonly nhsNumber: string;
}

export interface QueryOutcome {
  readonly documents: readonly FoundDocument[];
  /** Hold the answer back this long (the seed's delay for the patient(s) concerned). */
  readonly delayMs: number;
  /** When set, answer Failure with this error instead of the documents. */
  readonly registryError?: { readonly errorCode: string; readonly codeContext: string };
}

interface Located {
  readonly doc: SandboxDocument;
  readonly patient: SandboxPatient;
}

function outcome(patient: SandboxPatient, documents: readonly SandboxDocument[], behaviour: PatientBehaviour | undefined): QueryOutcome {
  return {
    documents: documents.map((document) => ({ document, nhsNumber: patient.nhsNumber })),
    delayMs: behaviour?.delayMs ?? 0,
    ...(behaviour?.registryError ? { registryError: behaviour.registryError } : {}),
  };
}

export class SandboxRegistry {
  private readonly patients = new Map<string, SandboxPatient>();
  private readonly byEntryUuid = new Map<string, Located>();
  private readonly byUniqueId = new Map<string, Located>();

  constructor(seed: SandboxSeed, private readonly protocol: XdsRegistryProtocol) {
    for (const patient of seed.patients) {
      this.patients.set(patient.nhsNumber, patient);
      for (const doc of patient.documents) {
        this.byEntryUuid.set(doc.entryUUID.toLowerCase(), { doc, patient });
        this.byUniqueId.set(doc.uniqueId, { doc, patient });
      }
    }
  }

  /** The DocumentEntry with this uniqueId, whatever its status (a retrieve does not filter by status). */
  document(uniqueId: string): FoundDocument | undefined {
    const located = this.byUniqueId.get(uniqueId);
    return located === undefined ? undefined : { document: located.doc, nhsNumber: located.patient.nhsNumber };
  }

  /** Run a decoded query. Throws RegistryQueryError XDSUnknownPatientId for a patient this registry does not know. */
  execute(query: Iti38Query): QueryOutcome {
    return query.kind === 'find' ? this.find(query) : this.get(query);
  }

  private find(query: FindDocumentsQuery): QueryOutcome {
    const patient = query.nhsNumber === undefined ? undefined : this.patients.get(query.nhsNumber);
    if (patient === undefined) throw new RegistryQueryError('XDSUnknownPatientId', 'the patient id is not known to this community');
    return outcome(
      patient,
      patient.documents.filter((d) => matchesFindQuery(d, query, this.protocol)),
      patient.behaviour,
    );
  }

  /** GetDocuments returns entries whatever their status (ITI TF-2 3.18.4.1.2.3.7.5), in the order asked. */
  private get(query: GetDocumentsQuery): QueryOutcome {
    const located = [
      ...(query.entryUuids ?? []).map((u) => this.byEntryUuid.get(u.toLowerCase())),
      ...(query.uniqueIds ?? []).map((u) => this.byUniqueId.get(u)),
    ].filter((l): l is Located => l !== undefined);
    const unique = [...new Map(located.map((l) => [l.doc.entryUUID, l])).values()];
    const delayMs = Math.max(0, ...unique.map((l) => l.patient.behaviour?.delayMs ?? 0));
    return { documents: unique.map((l) => ({ document: l.doc, nhsNumber: l.patient.nhsNumber })), delayMs };
  }
}
