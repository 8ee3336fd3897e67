import { FacadeError } from '../../../../src/errors/facade-error';
import { subjectNhsNumber } from '../../../../src/interactions/imaging/subject';
import { seedManifest, stored } from './fixtures';

const NHS_OID = '2.16.840.1.113883.2.1.4.1';
const manifest = seedManifest();
const withPatient = (patientId: string | undefined, patientIdIssuer: string | undefined) => {
  const { patientId: _p, patientIdIssuer: _i, ...rest } = manifest;
  return { ...rest, ...(patientId === undefined ? {} : { patientId }), ...(patientIdIssuer === undefined ? {} : { patientIdIssuer }) };
};
const hints = (nhsNumber: string) => ({ nhsNumber, eventModalities: ['CT'] });

function failure(fn: () => unknown): FacadeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof FacadeError) return err;
  }
  throw new Error('expected a FacadeError');
}

describe('subjectNhsNumber', () => {
  it('takes the KOS Patient ID when the NHS is named as its issuer (the seed KOS), with or without a search', () => {
    expect(manifest.patientIdIssuer).toBe(NHS_OID);
    expect(subjectNhsNumber(stored(), NHS_OID)).toBe('9000000009');
    expect(subjectNhsNumber(stored(manifest, hints('9000000009')), NHS_OID)).toBe('9000000009');
    expect(subjectNhsNumber(stored(withPatient('9000000009', `urn:oid:${NHS_OID}`)), NHS_OID)).toBe('9000000009');
  });

  it('refuses (502) a manifest whose NHS-issued Patient ID differs from the patient the search found it under', () => {
    const err = failure(() => subjectNhsNumber(stored(manifest, hints('9000000017')), NHS_OID));
    expect(err.status).toBe(502);
    expect(err.message).not.toMatch(/\d{10}/);
  });

  it('prefers the search when the issuer is absent, and trusts a valid number alone only without one', () => {
    expect(subjectNhsNumber(stored(withPatient('9000000009', undefined), hints('9000000017')), NHS_OID)).toBe('9000000017');
    expect(subjectNhsNumber(stored(withPatient('9000000009', undefined)), NHS_OID)).toBe('9000000009');
  });

  it('uses only the search for a local Patient ID or another issuer, and refuses (502) without one', () => {
    expect(subjectNhsNumber(stored(withPatient('SBB0000009', '2.999.1.2.2'), hints('9000000009')), NHS_OID)).toBe('9000000009');
    expect(subjectNhsNumber(stored(withPatient('9000000009', '2.999.1.2.2'), hints('9000000017')), NHS_OID)).toBe('9000000017');
    for (const m of [withPatient('SBB0000009', undefined), withPatient('9000000009', '2.999.1.2.2'), withPatient('9000000008', NHS_OID), withPatient(undefined, undefined)]) {
      const err = failure(() => subjectNhsNumber(stored(m), NHS_OID));
      expect(err.status).toBe(502);
      expect(err.message).toContain('search ImagingStudy?patient.identifier=');
    }
  });
});
