import { TAGS, type TagKeyword } from './dicom-dictionary';
import type { KosInstance, KosManifest, KosSeries } from './kos-model';

/**
 * KosManifest -> DICOM JSON metadata (PS3.18 Annex F.2), the body of a WADO-RS "Retrieve Metadata" answer
 * (PS3.18 10.4.1.1.2: studies/{study}/metadata, .../series/{series}/metadata) built from the manifest alone, one
 * object per instance the manifest lists:
 *   (0008,0016) SOP Class UID, (0008,0018) SOP Instance UID, (0008,0050) Accession Number, (0008,0060) Modality
 *   (when the manifest names it), (0008,1190) Retrieve URL of the instance (PS3.18 10.4.1 instance resource),
 *   (0010,0020) Patient ID, (0020,000D) Study Instance UID, (0020,000E) Series Instance UID, (0020,0013) Instance
 *   Number (when the manifest carries it).
 *
 * NOT included, because they are only in the images themselves and would need every instance to be retrieved
 * (RAD-75) first: the Image Pixel module (Rows, Columns, Bits Allocated/Stored, Photometric Interpretation,
 * Pixel Representation, Number of Frames, Transfer Syntax), Image Plane (Pixel Spacing, Image Position and
 * Orientation, Slice Thickness), VOI LUT (Window Center/Width), Modality LUT (Rescale Slope/Intercept), Series and
 * Instance dates and times, Body Part Examined, Patient's Name / Birth Date / Sex (the manifest has them but a
 * viewer gets patient demographics from the FHIR side), and every private attribute. Viewers that need these read
 * them from the instance (WADO-RS retrieve) rather than from this metadata.
 */

/** One attribute (PS3.18 F.2.2): its VR and, unless empty, its values. */
export interface DicomJsonAttribute {
  readonly vr: string;
  readonly Value?: readonly (string | number)[];
}

/** One data set: attributes keyed by 8 upper-case hex digits (PS3.18 F.2.1), in ascending tag order. */
export type DicomJsonDataset = Readonly<Record<string, DicomJsonAttribute>>;

export interface DicomJsonOptions {
  /** Only instances of this study (the manifest may reference several in its evidence). */
  readonly studyUid: string;
  /** Only instances of this series, when given. */
  readonly seriesUid?: string;
  /** The DICOMweb root the Retrieve URLs hang from, e.g. https://host/dicomweb/<manifestId>. */
  readonly retrieveBaseUrl: string;
}

type Entry = readonly [TagKeyword, string | number | undefined];

/** An attribute with one value, or an empty Type 2 attribute (PS3.18 F.2.5: no "Value" when empty). */
function attribute([keyword, value]: Entry): [string, DicomJsonAttribute] {
  const { tag, vr } = TAGS[keyword];
  return [tag, value === undefined ? { vr } : { vr, Value: [value] }];
}

/** A multi-valued attribute (e.g. Modalities in Study); empty when there is no value. */
function multi(keyword: TagKeyword, values: readonly string[]): [string, DicomJsonAttribute] {
  const { tag, vr } = TAGS[keyword];
  return [tag, values.length === 0 ? { vr } : { vr, Value: values }];
}

/** A data set with its attributes in ascending tag order (PS3.18 F.2.1). */
function sorted(attributes: ReadonlyArray<[string, DicomJsonAttribute]>): DicomJsonDataset {
  return Object.fromEntries([...attributes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The DICOMweb root the Retrieve URLs hang from, without a trailing slash. */
function baseOf(retrieveBaseUrl: string): string {
  return retrieveBaseUrl.replace(/\/+$/, '');
}

function instanceUrl(base: string, series: KosSeries, instance: KosInstance): string {
  return `${base}/studies/${series.studyUid}/series/${series.seriesUid}/instances/${instance.sopInstanceUid}`;
}

function dataset(manifest: KosManifest, series: KosSeries, instance: KosInstance, base: string): DicomJsonDataset {
  // Type 2 attributes (Accession Number, Patient ID) are always written, empty when unknown; Type 3 ones only
  // when known.
  const always: Entry[] = [
    ['SOPClassUID', instance.sopClassUid],
    ['SOPInstanceUID', instance.sopInstanceUid],
    ['AccessionNumber', manifest.accessionNumber],
    ['RetrieveURL', instanceUrl(base, series, instance)],
    ['PatientID', manifest.patientId],
    ['StudyInstanceUID', series.studyUid],
    ['SeriesInstanceUID', series.seriesUid],
  ];
  const known: Entry[] = [];
  if (series.modality !== undefined) known.push(['Modality', series.modality]);
  if (instance.instanceNumber !== undefined) known.push(['InstanceNumber', instance.instanceNumber]);
  return sorted([...always, ...known].map(attribute));
}

/** The data set of every instance of `series`, in manifest order. */
function instanceDatasets(manifest: KosManifest, series: readonly KosSeries[], retrieveBaseUrl: string): DicomJsonDataset[] {
  const base = baseOf(retrieveBaseUrl);
  return series.flatMap((s) => s.instances.map((instance) => dataset(manifest, s, instance, base)));
}

/**
 * DICOM JSON metadata for every instance of `opts.studyUid` (and `opts.seriesUid` when given) that the manifest
 * lists, in manifest order; [] when it lists none (the caller answers 404).
 */
export function toDicomJsonMetadata(manifest: KosManifest, opts: DicomJsonOptions): DicomJsonDataset[] {
  const series = manifest.series.filter((s) => s.studyUid === opts.studyUid && (opts.seriesUid === undefined || s.seriesUid === opts.seriesUid));
  return instanceDatasets(manifest, series, opts.retrieveBaseUrl);
}

/*
 * QIDO-RS results (PS3.18 10.6.3.3 and Table 10.6.3-3..5), from the manifest alone: the studies, series and instances
 * it lists, each with the attributes the manifest has and the counts it implies. Study Date / Time / Description and
 * Accession Number belong to the manifest's own study; another study of its evidence gets its UID and counts.
 */

/** Every study of the manifest's evidence, in manifest order. */
export function toQidoStudies(manifest: KosManifest, retrieveBaseUrl: string): DicomJsonDataset[] {
  const base = baseOf(retrieveBaseUrl);
  const studyUids = [...new Set(manifest.series.map((s) => s.studyUid))];
  return studyUids.map((studyUid) => {
    const series = manifest.series.filter((s) => s.studyUid === studyUid);
    const own = studyUid === manifest.studyUid;
    const entries: Entry[] = [
      ['StudyInstanceUID', studyUid],
      ['PatientID', manifest.patientId],
      ['AccessionNumber', own ? manifest.accessionNumber : undefined],
      ['StudyDate', own ? manifest.studyDate : undefined],
      ['StudyTime', own ? manifest.studyTime : undefined],
      ['NumberOfStudyRelatedSeries', series.length],
      ['NumberOfStudyRelatedInstances', series.reduce((n, s) => n + s.instances.length, 0)],
      ['RetrieveURL', `${base}/studies/${studyUid}`],
    ];
    if (own && manifest.studyDescription !== undefined) entries.push(['StudyDescription', manifest.studyDescription]);
    const modalities = [...new Set(series.flatMap((s) => (s.modality === undefined ? [] : [s.modality])))];
    return sorted([...entries.map(attribute), multi('ModalitiesInStudy', modalities)]);
  });
}

/** Every series of the manifest's evidence, in manifest order. */
export function toQidoSeries(manifest: KosManifest, retrieveBaseUrl: string): DicomJsonDataset[] {
  const base = baseOf(retrieveBaseUrl);
  return manifest.series.map((s) => {
    const entries: Entry[] = [
      ['StudyInstanceUID', s.studyUid],
      ['SeriesInstanceUID', s.seriesUid],
      ['Modality', s.modality],
      ['NumberOfSeriesRelatedInstances', s.instances.length],
      ['RetrieveURL', `${base}/studies/${s.studyUid}/series/${s.seriesUid}`],
    ];
    if (s.seriesNumber !== undefined) entries.push(['SeriesNumber', s.seriesNumber]);
    if (s.description !== undefined) entries.push(['SeriesDescription', s.description]);
    return sorted(entries.map(attribute));
  });
}

/** Every instance of the manifest's evidence, in manifest order (the datasets of Retrieve Metadata). */
export function toQidoInstances(manifest: KosManifest, retrieveBaseUrl: string): DicomJsonDataset[] {
  return instanceDatasets(manifest, manifest.series, retrieveBaseUrl);
}
