import type { ImagingStudy } from 'fhir/r4';
import { toImagingStudy } from '../../../src/fhir/imaging-study';
import { validateResource } from '../../../src/fhir/profile-validator';
import { parseKosManifest, type KosManifest, type KosSeries } from '../../../src/imaging/kos';
import { seedImages, seedKosBytes } from '../imaging/dicom-fixtures';

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const BASE = 'https://facade.example/dicomweb/kos-b-1';
const CTX = { id: 'kos-b-1', nhsNumber: '9000000009', dicomWebBase: BASE };

function study(manifest: KosManifest, ctx: Partial<typeof CTX> & { eventModalities?: string[] } = {}): ImagingStudy {
  return toImagingStudy(manifest, { ...CTX, ...ctx });
}

/** A manifest of one study whose series have no modality (a plain XDS-I.b manifest without MADO extras). */
function withoutModality(): KosManifest {
  const series = (uid: string): KosSeries => ({ studyUid: '2.999.9.2', seriesUid: uid, instances: [{ sopClassUid: '1.2.840.10008.5.1.4.1.1.4', sopInstanceUid: `${uid}.1` }] });
  return { sopInstanceUid: '2.999.9.1', studyUid: '2.999.9.2', series: [series('2.999.9.2.1'), series('2.999.9.2.2')] };
}

function variant(resource: ImagingStudy, change: (copy: Record<string, unknown>) => void): unknown {
  const copy = JSON.parse(JSON.stringify(resource)) as Record<string, unknown>;
  change(copy);
  return copy;
}

describe('toImagingStudy: the seed KOS', () => {
  const resource = study(parseKosManifest(seedKosBytes()), { eventModalities: ['CT'] });

  it('validates against fhir-profiles/imagingstudy.schema.json', () => {
    expect(validateResource(resource, 'ImagingStudy')).toEqual({ valid: true, errors: [] });
  });

  it('carries the study, accession, patient, start, counts and the DICOMweb endpoint', () => {
    expect(resource).toMatchObject({
      resourceType: 'ImagingStudy',
      id: 'kos-b-1',
      status: 'available',
      identifier: [
        { system: 'urn:dicom:uid', value: 'urn:oid:2.999.1.2.5.1' },
        { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'ACSN' }] }, system: 'urn:oid:2.999.1.2.4', value: 'ACC1001' },
      ],
      subject: { type: 'Patient', identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9000000009' } },
      started: '2024-01-15T09:15:00+00:00',
      modality: [{ system: DCM, code: 'CT' }],
      numberOfSeries: 2,
      numberOfInstances: seedImages().length,
      description: 'CT chest',
      endpoint: [{ reference: '#dicomweb' }],
    });
    expect(resource.contained).toEqual([
      {
        resourceType: 'Endpoint',
        id: 'dicomweb',
        status: 'active',
        connectionType: { system: 'http://terminology.hl7.org/CodeSystem/endpoint-connection-type', code: 'dicom-wado-rs' },
        payloadType: [{ text: 'DICOM WADO-RS' }],
        payloadMimeType: ['application/dicom'],
        address: BASE,
      },
    ]);
  });

  it('lists every series and instance with uid, number, modality and SOP class', () => {
    expect(resource.series?.map((s) => [s.uid, s.number, s.modality.code, s.numberOfInstances])).toEqual([
      ['2.999.1.2.5.1.1', 1, 'CT', 3],
      ['2.999.1.2.5.1.2', 2, 'CT', 3],
    ]);
    expect(resource.series?.[0]?.instance?.[0]).toEqual({ uid: '2.999.1.2.5.1.1.1', sopClass: { system: 'urn:ietf:rfc:3986', code: 'urn:oid:1.2.840.10008.5.1.4.1.1.2' }, number: 1 });
    const uids = resource.series?.flatMap((s) => (s.instance ?? []).map((i) => i.uid));
    expect(new Set(uids)).toEqual(new Set(seedImages().map((f) => f.sopInstanceUid)));
  });
});

describe('toImagingStudy: series modality', () => {
  const codes = (r: ImagingStudy): (string | undefined)[] => (r.series ?? []).map((s) => s.modality.code);

  it('takes the manifest modality over the event codes', () => {
    const manifest = parseKosManifest(seedKosBytes());
    expect(codes(study(manifest, { eventModalities: ['MR'] }))).toEqual(['CT', 'CT']);
  });

  it('takes the one event code when the manifest names none', () => {
    const resource = study(withoutModality(), { eventModalities: ['MR', 'MR'] });
    expect(codes(resource)).toEqual(['MR', 'MR']);
    expect(resource.modality).toEqual([{ system: DCM, code: 'MR' }]);
  });

  it.each<[string, string[] | undefined]>([
    ['several event codes', ['CT', 'MR']],
    ['no event codes', []],
    ['no event code list', undefined],
    ['an event code that is not a DICOM code string', ['ct scan!']],
  ])('falls back to OT with %s', (_label, eventModalities) => {
    const resource = study(withoutModality(), eventModalities === undefined ? {} : { eventModalities });
    expect(codes(resource)).toEqual(['OT', 'OT']);
    expect(validateResource(resource, 'ImagingStudy').valid).toBe(true);
  });
});

describe('toImagingStudy: edges', () => {
  it('leaves out what it cannot state: no accession, no start, negative numbers, series of another study', () => {
    const base = withoutModality();
    const manifest: KosManifest = {
      ...base,
      studyDate: '20240115',
      studyTime: '091500',
      series: [
        { ...(base.series[0] as KosSeries), seriesNumber: -1, instances: [{ sopClassUid: '1.2.840.10008.5.1.4.1.1.4', sopInstanceUid: '2.999.9.2.1.1', instanceNumber: -5 }] },
        { ...(base.series[1] as KosSeries), studyUid: '2.999.8' },
      ],
    };
    const resource = study(manifest);
    expect(resource.identifier).toEqual([{ system: 'urn:dicom:uid', value: 'urn:oid:2.999.9.2' }]);
    expect(resource.started).toBe('2024-01-15');
    expect(resource.series).toHaveLength(1);
    expect(resource.series?.[0]).not.toHaveProperty('number');
    expect(resource.series?.[0]?.instance?.[0]).not.toHaveProperty('number');
    expect([resource.numberOfSeries, resource.numberOfInstances]).toEqual([1, 1]);
    expect(validateResource(resource, 'ImagingStudy')).toEqual({ valid: true, errors: [] });
  });

  it('writes an accession issued by a local namespace without a system', () => {
    const resource = study({ ...withoutModality(), accessionNumber: 'A1', accessionNumberIssuer: 'RIS-B' });
    expect(resource.identifier?.[1]).toEqual({ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'ACSN' }] }, value: 'A1' });
    expect(validateResource(resource, 'ImagingStudy').valid).toBe(true);
  });
});

describe('fhir-profiles/imagingstudy.schema.json refuses what the service must not emit', () => {
  const resource = study(parseKosManifest(seedKosBytes()));

  it.each<[string, (d: Record<string, unknown>) => void, string]>([
    ['status registered', (d) => (d.status = 'registered'), '/status must be equal to constant'],
    ['a subject that is not an NHS number', (d) => (d.subject = { identifier: { system: 'urn:oid:1.2.3', value: '9000000009' } }), '/subject/identifier/system must be equal to constant'],
    ['no contained Endpoint', (d) => delete d.contained, "/ must have required property 'contained'"],
    ['a study identifier without urn:oid:', (d) => ((d.identifier as { value: string }[])[0]!.value = '2.999.1.2.5.1'), '/identifier/0/value must match pattern'],
    ['a series modality outside DCM', (d) => ((d.series as { modality: unknown }[])[0]!.modality = { system: 'http://snomed.info/sct', code: 'CT' }), '/series/0/modality/system must be equal to constant'],
    ['a series without instances', (d) => ((d.series as { instance: unknown[] }[])[0]!.instance = []), '/series/0/instance must NOT have fewer than 1 items'],
    ['an endpoint address that is not http(s)', (d) => ((d.contained as { address: string }[])[0]!.address = 'dicom://pacs'), '/contained/0/address must match pattern'],
    ['an unknown top-level key', (d) => (d.foo = 1), "/ must NOT have additional properties 'foo'"],
  ])('refuses %s', (_label, change, error) => {
    const result = validateResource(variant(resource, change), 'ImagingStudy');
    expect(result.valid).toBe(false);
    expect(result.errors.join('\n')).toContain(error);
  });
});
