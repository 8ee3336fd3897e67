import { FacadeError } from '../../../src/errors/facade-error';
import { implicitRange, intersect, parseDateSearch, toDtm } from '../../../src/search/fhir-date';

const dtm = (b: { from?: Date; to?: Date }) => ({ from: b.from && toDtm(b.from), to: b.to && toDtm(b.to) });

describe('FHIR date search -> XDS half-open DTM range', () => {
  it.each([
    ['2024', '20240101000000', '20250101000000'],
    ['2024-02', '20240201000000', '20240301000000'],
    ['2024-12', '20241201000000', '20250101000000'],
    ['2024-02-29', '20240229000000', '20240301000000'],
    ['2024-03-10T10:15Z', '20240310101500', '20240310101600'],
    ['2024-03-10T10:15:30+01:00', '20240310091530', '20240310091531'],
  ])('eq %s covers its precision', (value, from, to) => {
    expect(dtm(parseDateSearch('date', value))).toEqual({ from, to });
    expect(dtm(parseDateSearch('date', `eq${value}`))).toEqual({ from, to });
  });

  it('maps ge, gt, le, lt to the right bound', () => {
    expect(dtm(parseDateSearch('date', 'ge2024-01'))).toEqual({ from: '20240101000000', to: undefined });
    expect(dtm(parseDateSearch('date', 'gt2024-01'))).toEqual({ from: '20240201000000', to: undefined });
    expect(dtm(parseDateSearch('date', 'lt2024-01'))).toEqual({ from: undefined, to: '20240101000000' });
    expect(dtm(parseDateSearch('date', 'le2024-01'))).toEqual({ from: undefined, to: '20240201000000' });
  });

  it('intersects several values (AND)', () => {
    const b = intersect([parseDateSearch('date', 'ge2023'), parseDateSearch('date', 'ge2024-06'), parseDateSearch('date', 'lt2025'), parseDateSearch('date', 'le2024-09')]);
    expect(dtm(b)).toEqual({ from: '20240601000000', to: '20241001000000' });
  });

  it.each(['sa2024', 'ne2024', 'ap2024', 'eb2024'])('refuses the unsupported prefix in %s', (v) => {
    expect(() => parseDateSearch('date', v)).toThrow(FacadeError);
  });

  it.each(['24', '2024-13', '2024-02-30', '2024-01-01T10:00', 'yesterday', '2024-1-1'])('refuses the malformed date %s', (v) => {
    try {
      implicitRange('creation', v);
      throw new Error('no error');
    } catch (err) {
      expect(err).toBeInstanceOf(FacadeError);
      expect((err as FacadeError).code).toBe('INVALID_PARAMETER');
      expect((err as FacadeError).expression).toEqual(['creation']);
    }
  });
});
