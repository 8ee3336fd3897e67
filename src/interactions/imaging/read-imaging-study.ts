import type { ImagingStudy } from 'fhir/r4';
import { toImagingStudy } from '../../fhir/imaging-study';
import type { RequestContext, Services } from '../services';
import { dicomWebBase } from './dicomweb-base';
import { loadManifest, type StoredManifest } from './manifest';
import { subjectNhsNumber } from './subject';

/**
 * ImagingStudy read (FHIR R4 ImagingStudy; IHE MADO): the KOS manifest the id names, from the cache or through
 * ITI-39, as an ImagingStudy whose contained Endpoint is this facade's DICOMweb door for the manifest.
 */
export async function readImagingStudy(services: Services, ctx: RequestContext, id: string): Promise<ImagingStudy> {
  const study = imagingStudyOf(services, ctx, id, await loadManifest(services, ctx, id));
  // A read answered from the cache is audited too; begin() is idempotent when ITI-39 already opened the record.
  await ctx.audit.begin(study.subject.identifier?.value);
  return study;
}

/** The ImagingStudy of a loaded manifest (read and search answer the same resource). */
export function imagingStudyOf(services: Services, ctx: RequestContext, id: string, stored: StoredManifest): ImagingStudy {
  return toImagingStudy(stored.manifest, {
    id,
    nhsNumber: subjectNhsNumber(stored, services.patientAssigningAuthority),
    dicomWebBase: dicomWebBase(ctx.baseUrl, id),
    eventModalities: stored.found?.eventModalities ?? [],
  });
}
