import { randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry, DocumentReference, ImagingStudy, OperationOutcome, OperationOutcomeIssue } from 'fhir/r4';
import { toFacadeError } from '../../errors/facade-error';
import { catalogueIssue, operationOutcome } from '../../fhir/operation-outcome';
import { codeSystemByKey } from '../../mappings/code-systems';
import type { SearchParamList } from '../../search/iti67-search';
import { searchDocuments } from '../find-document-references';
import type { RequestContext, Services } from '../services';
import { imagingTable, type ImagingTable } from './imaging-table';
import { loadManifest } from './manifest';
import { mapLimit } from './map-limit';
import { imagingStudyOf } from './read-imaging-study';
import { toImagingSearchParams } from './search-params';

/**
 * ImagingStudy search (FHIR R4; IHE MADO "Find ImagingStudy" over XCA): an ITI-67 search for the patient's
 * current KOS manifests (searchDocuments: cached, single-flight, every community), then each manifest fetched
 * (ITI-39, a few at a time) and answered as a full ImagingStudy. A manifest that cannot be fetched or read is left
 * out with a warning naming it; the communities' own warnings are passed on.
 */

type Found = { readonly ok: true; readonly study: ImagingStudy } | { readonly ok: false; readonly issue: OperationOutcomeIssue };

/** Is this DocumentReference a KOS manifest? Checked here too: a responder may ignore the formatCode slot. */
function isKosManifest(doc: DocumentReference, table: ImagingTable): boolean {
  const content = doc.content[0];
  if (content?.format !== undefined) return content.format.system === table.kosFormat.system && content.format.code === table.kosFormat.code;
  return (content?.attachment.contentType ?? '').split(';')[0]?.trim().toLowerCase() === table.kosMimeType;
}

/** The ImagingStudy id of a manifest: its Binary id, the last segment of content.attachment.url. */
function manifestId(doc: DocumentReference): string {
  const url = doc.content[0]?.attachment.url ?? '';
  return decodeURIComponent(url.slice(url.lastIndexOf('/') + 1));
}

/** eventCodeList modality codes (DCM) of the entry. */
function eventModalities(doc: DocumentReference): string[] {
  const dcm = codeSystemByKey('dicom-dcm').uri;
  return (doc.context?.event ?? []).flatMap((cc) => cc.coding ?? []).flatMap((c) => (c.system === dcm && c.code !== undefined ? [c.code] : []));
}

async function studyOf(services: Services, ctx: RequestContext, doc: DocumentReference, nhsNumber: string): Promise<Found> {
  const id = manifestId(doc);
  try {
    const stored = await loadManifest(services, ctx, id, { nhsNumber, eventModalities: eventModalities(doc) });
    return { ok: true, study: imagingStudyOf(services, ctx, id, stored) };
  } catch (err) {
    const failure = toFacadeError(err);
    if (failure.status >= 500) ctx.logger.warn({ err: failure.cause ?? failure, code: failure.code }, 'imaging manifest left out of the search');
    const title = doc.content[0]?.attachment.title;
    const which = `Imaging manifest ImagingStudy/${id}${title === undefined ? '' : ` ('${title}')`}`;
    return { ok: false, issue: catalogueIssue(failure.code, `${which} was left out: ${failure.message}`, { severity: 'warning' }) };
  }
}

/** GET /ImagingStudy?patient.identifier=…: a searchset Bundle of ImagingStudy resources. */
export async function findImagingStudies(
  services: Services,
  ctx: RequestContext,
  params: SearchParamList,
  options: { lenient: boolean },
): Promise<Bundle<ImagingStudy | OperationOutcome>> {
  const table = imagingTable();
  const { asked, upstream } = toImagingSearchParams(params, table, options);
  const { search, result } = await searchDocuments(services, ctx, upstream, { lenient: false });
  const manifests = result.documents.filter((d) => isKosManifest(d, table));
  const chosen = manifests.slice(0, table.maxManifestsPerSearch);
  const found = await mapLimit(chosen, table.manifestFetchConcurrency, (doc) => studyOf(services, ctx, doc, search.nhsNumber));
  const issues = [...result.issues, ...found.flatMap((f) => (f.ok ? [] : [f.issue]))];
  if (manifests.length > chosen.length) {
    const left = manifests.length - chosen.length;
    // No catalogue error fits a result cut short on purpose: a plain FHIR warning (issue type too-costly).
    issues.push({ severity: 'warning', code: 'too-costly', diagnostics: `${left} older imaging manifest(s) were not fetched (at most ${chosen.length} per search): narrow the search` });
  }
  const studies = found.flatMap((f) => (f.ok ? [f.study] : []));
  return imagingBundle(ctx.baseUrl, studies, asked, issues);
}

function imagingBundle(baseUrl: string, studies: readonly ImagingStudy[], asked: SearchParamList, issues: OperationOutcomeIssue[]): Bundle<ImagingStudy | OperationOutcome> {
  const entry: Array<BundleEntry<ImagingStudy | OperationOutcome>> = studies.map((resource) => ({
    fullUrl: `${baseUrl}/ImagingStudy/${resource.id ?? ''}`,
    resource,
    search: { mode: 'match' },
  }));
  if (issues.length > 0) entry.push({ fullUrl: `urn:uuid:${randomUUID()}`, resource: operationOutcome(issues), search: { mode: 'outcome' } });
  const query = new URLSearchParams(asked.map(([k, v]): [string, string] => [k, v]));
  return {
    resourceType: 'Bundle',
    id: randomUUID(),
    meta: { lastUpdated: new Date().toISOString() },
    type: 'searchset',
    total: studies.length,
    link: [{ relation: 'self', url: `${baseUrl}/ImagingStudy?${query.toString()}` }],
    ...(entry.length > 0 ? { entry } : {}),
  };
}
