import { parsePath, setPath, type JsonObject } from '../../../src/fhir/json-path';

describe('setPath (mapping-table target paths)', () => {
  it('creates objects and arrays along the path', () => {
    const doc: JsonObject = {};
    setPath(doc, 'content[0].attachment.size', 3);
    setPath(doc, 'content[0].attachment.title', 'T');
    setPath(doc, 'context.period.start', '2024');
    expect(doc).toEqual({ content: [{ attachment: { size: 3, title: 'T' } }], context: { period: { start: '2024' } } });
  });

  it('appends with [] and skips a value equal to one already there', () => {
    const doc: JsonObject = {};
    setPath(doc, 'meta.profile[]', 'a');
    setPath(doc, 'meta.profile[]', 'b');
    setPath(doc, 'meta.profile[]', 'a');
    expect(doc).toEqual({ meta: { profile: ['a', 'b'] } });
  });

  it('merges an object into an object already at the target, and never leaves holes', () => {
    const doc: JsonObject = {};
    setPath(doc, 'context.sourcePatientInfo', { reference: '#p' });
    setPath(doc, 'context.sourcePatientInfo.identifier', { value: '1' });
    setPath(doc, 'category[3]', 'x');
    expect(doc).toEqual({ context: { sourcePatientInfo: { reference: '#p', identifier: { value: '1' } } }, category: ['x'] });
  });

  it('refuses malformed paths', () => {
    expect(() => parsePath('a[].b')).toThrow(/may only end/);
    expect(() => parsePath('a..b')).toThrow(/malformed/);
    expect(parsePath('a[2].b[]')).toEqual([{ name: 'a', index: 2 }, { name: 'b', index: 'append' }]);
  });
});
