import { compareDtm, dtmAtOrAfter, dtmBefore, isValidDtm, parseTimeParameter } from '../../../../src/sandbox/iti38/dtm';

describe('DTM handling of the time parameters', () => {
  it('accepts XDS precisions from year to second and checks each component', () => {
    for (const ok of ['2024', '202402', '20240229', '2024022923', '202402292359', '20240229235959']) expect(isValidDtm(ok)).toBe(true);
    for (const bad of ['202', '20241', '202413', '20230229', '20240431', '2024010124', '202401010060', '20240101000060', '2024-01-01', '20240101000000.5', '20240101+0100']) {
      expect(isValidDtm(bad)).toBe(false);
    }
  });

  it('refuses a quoted or malformed time parameter with XDSRegistryError', () => {
    expect(parseTimeParameter('$T', '20240115')).toBe('20240115');
    expect(() => parseTimeParameter('$T', "'20240115'")).toThrow(/unquoted number/);
    expect(() => parseTimeParameter('$T', '20241315')).toThrow(/HL7 DTM/);
  });

  it('compares at the precision both values have', () => {
    expect(compareDtm('20240312101500', '2024')).toBe(0);
    expect(compareDtm('20240312', '20240312235959')).toBe(0);
    expect(compareDtm('20231231', '2024')).toBeLessThan(0);
    expect(compareDtm('20240101000000', '20231231235959')).toBeGreaterThan(0);
  });

  it('From is inclusive and To exclusive, at common precision', () => {
    expect(dtmAtOrAfter('20240115103000', '20240115103000')).toBe(true);
    expect(dtmAtOrAfter('20240115103000', '2024')).toBe(true);
    expect(dtmAtOrAfter('20231231235959', '2024')).toBe(false);
    expect(dtmBefore('20240115103000', '20240115103000')).toBe(false);
    expect(dtmBefore('20240115103000', '2024')).toBe(false);
    expect(dtmBefore('20231231235959', '2024')).toBe(true);
    expect(dtmBefore('20240115103000', '202401151031')).toBe(true);
  });

  it('never matches a document without the attribute', () => {
    expect(dtmAtOrAfter(undefined, '2024')).toBe(false);
    expect(dtmBefore(undefined, '2024')).toBe(false);
  });
});
