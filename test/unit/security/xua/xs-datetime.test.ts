import { parseXsDateTime, toXsDateTime } from '../../../../src/security/xua/xs-datetime';

describe('xs:dateTime', () => {
  it('writes UTC with Z and reads it back', () => {
    const date = new Date('2026-02-03T04:05:06.789Z');
    expect(toXsDateTime(date)).toBe('2026-02-03T04:05:06.789Z');
    expect(parseXsDateTime(toXsDateTime(date))).toBe(date.getTime());
  });

  it('reads offsets, microseconds (as public samples send) and no fraction', () => {
    expect(parseXsDateTime('2026-02-03T05:05:06+01:00')).toBe(Date.parse('2026-02-03T04:05:06Z'));
    expect(parseXsDateTime('2020-10-14T22:15:49.831582Z')).toBe(Date.parse('2020-10-14T22:15:49.831Z'));
  });

  it('refuses values without a zone or that do not exist', () => {
    expect(parseXsDateTime('2026-02-03T04:05:06')).toBeUndefined();
    expect(parseXsDateTime('2026-02-30T04:05:06Z')).toBeUndefined();
    expect(parseXsDateTime('2026-02-03T24:05:06Z')).toBeUndefined();
    expect(parseXsDateTime('yesterday')).toBeUndefined();
  });
});
