import { dicomToFhirDateTime } from '../../../src/imaging/dicom-datetime';

describe('dicomToFhirDateTime (DICOM DA/TM/offset -> FHIR dateTime)', () => {
  it.each<[string | undefined, string | undefined, string | undefined, string | undefined]>([
    ['20240115', '091500', '+0000', '2024-01-15T09:15:00+00:00'],
    ['20240715', '0915', '+0100', '2024-07-15T09:15:00+01:00'],
    ['20240715', '09', '-0500', '2024-07-15T09:00:00-05:00'],
    ['20240115', '091500.123456', '+0530', '2024-01-15T09:15:00.123456+05:30'],
    ['2024.01.15', '09:15:00', '+0000', '2024-01-15T09:15:00+00:00'],
    ['20240115', '091500', undefined, '2024-01-15'],
    ['20240115', undefined, '+0000', '2024-01-15'],
    ['20240115', '251500', '+0000', '2024-01-15'],
    ['20240115', '091500', '+1500', '2024-01-15'],
    ['20240115', '091500', 'GMT', '2024-01-15'],
    ['20240230', '091500', '+0000', undefined],
    ['2024011', undefined, undefined, undefined],
    [undefined, '091500', '+0000', undefined],
  ])('%s %s %s -> %s', (da, tm, tz, expected) => {
    expect(dicomToFhirDateTime(da, tm, tz)).toBe(expected);
  });
});
