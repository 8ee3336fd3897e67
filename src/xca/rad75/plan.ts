import { XcaError } from '../errors';
import { comparableId } from '../iti39/select';
import type { Iti39DocumentResponse, Iti39Response } from '../iti39/types';
import type { RegistryError, RegistryResponseStatus } from '../model';
import { RAD75_WHAT } from './constants';
import { Rad75RegistryError } from './registry-error';
import type { Rad75Request } from './types';

/**
 * Which DocumentResponses of a RAD-75 answer answer which requested instances, decided from the SOAP part before
 * a single instance byte is read. An instance is matched by its SOP Instance UID alone (DICOM UIDs are globally
 * unique; compared without whitespace or `urn:oid:`, see select.ts); the first DocumentResponse for it wins. A
 * DocumentResponse for something not asked for, or a repeat, is read past (its bytes dropped): a Responding
 * Imaging Gateway consolidates the answers of several sources (RAD TF-3 4.75) and may add them, and serving
 * them would hand the user images nobody requested.
 */

/** What an instance to serve carries. */
export interface PlannedInstance {
  readonly documentUniqueId: string;
  readonly repositoryUniqueId: string;
  readonly seriesInstanceUid: string;
  readonly mimeType: string;
  /** Where its bytes are: an attachment (MTOM) or inline base64 text. */
  readonly content: { readonly kind: 'xop'; readonly href: string } | { readonly kind: 'inline'; readonly base64: readonly string[] };
}

/** One step of the sequence, in the order of the DocumentResponses. */
export type PlanStep = { readonly kind: 'serve'; readonly instance: PlannedInstance } | { readonly kind: 'skip'; readonly href: string };

/** The answer as a sequence of steps, with what is known up front. */
export interface ImagingPlan {
  readonly status: RegistryResponseStatus;
  readonly errors: readonly RegistryError[];
  readonly steps: readonly PlanStep[];
  /** SOP Instance UIDs requested and not answered, in request order. */
  readonly missing: readonly string[];
}

interface Wanted {
  readonly sopInstanceUid: string;
  readonly repositoryUniqueId: string;
  readonly seriesInstanceUid: string;
}

function wantedById(request: Rad75Request): Map<string, Wanted> {
  const wanted = new Map<string, Wanted>();
  for (const series of request.series) {
    for (const instance of series.instances) {
      const key = comparableId(instance.sopInstanceUid);
      if (key !== undefined && !wanted.has(key)) wanted.set(key, { ...instance, seriesInstanceUid: series.seriesInstanceUid });
    }
  }
  return wanted;
}

function unusable(why: string): XcaError {
  return new XcaError('unparseable', `The ${RAD75_WHAT} ${why}`);
}

/** The instance to serve for a matched DocumentResponse; refuses one that cannot be served. */
function toPlanned(doc: Iti39DocumentResponse, wanted: Wanted, mtom: boolean): PlannedInstance {
  const { document } = doc;
  if (doc.mimeType === undefined) throw unusable('has a DocumentResponse without mimeType for a requested instance');
  if (document.kind === 'empty') throw unusable('has an empty Document (neither base64 content nor an xop:Include) for a requested instance');
  if (document.kind === 'missing') throw unusable('has a DocumentResponse without Document for a requested instance');
  if (document.kind === 'xop' && !mtom) throw unusable('refers to an MTOM attachment (xop:Include) but is not an MTOM package');
  return {
    documentUniqueId: wanted.sopInstanceUid.trim(),
    repositoryUniqueId: doc.repositoryUniqueId ?? wanted.repositoryUniqueId.trim(),
    seriesInstanceUid: wanted.seriesInstanceUid.trim(),
    mimeType: doc.mimeType,
    content: document,
  };
}

/**
 * Plan the retrieval. `mtom` tells whether attachments can be read (the answer was an MTOM package).
 * @throws Rad75RegistryError when no requested instance is answered and the answer has RegistryErrors (RAD TF-3
 *   4.69.4.2.3; e.g. Failure with XDSRepositoryError); XcaError 'unparseable' when none is answered and no error
 *   says why, or when an answered instance has no mimeType or no usable Document.
 */
export function planImagingRetrieval(response: Iti39Response, request: Rad75Request, mtom: boolean): ImagingPlan {
  const wanted = wantedById(request);
  const served = new Set<string>();
  const steps: PlanStep[] = [];
  for (const doc of response.documents) {
    const key = comparableId(doc.documentUniqueId);
    const match = key === undefined || served.has(key) ? undefined : wanted.get(key);
    if (key !== undefined && match !== undefined) {
      served.add(key);
      steps.push({ kind: 'serve', instance: toPlanned(doc, match, mtom) });
    } else if (doc.document.kind === 'xop' && mtom) {
      steps.push({ kind: 'skip', href: doc.document.href });
    }
  }
  if (served.size === 0) {
    if (response.errors.length > 0) throw new Rad75RegistryError(response.status, response.errors);
    throw unusable(
      response.documents.length === 0
        ? `(status ${response.status}) holds neither a DocumentResponse nor a RegistryError`
        : `holds ${response.documents.length} DocumentResponse(s), none of them for an instance requested`,
    );
  }
  const missing = [...wanted].filter(([key]) => !served.has(key)).map(([, w]) => w.sopInstanceUid.trim());
  return { status: response.status, errors: response.errors, steps, missing };
}
