import { parseXml, XmlSyntaxError } from '../../../../src/sandbox/xml/parse';
import { attr } from '../../../../src/sandbox/xml/tree';

describe('sandbox parseXml', () => {
  it('resolves prefixes and default namespaces, and scopes them to their element', () => {
    const root = parseXml('<a:r xmlns:a="urn:a" xmlns="urn:d"><x a:k="1" k="2"/><a:y xmlns:a="urn:other"/></a:r>');
    expect([root.ns, root.local, root.prefix]).toEqual(['urn:a', 'r', 'a']);
    const [x, y] = root.children;
    expect([x?.ns, x?.local]).toEqual(['urn:d', 'x']);
    expect(attr(x!, 'k')).toBe('2');
    expect(attr(x!, 'k', 'urn:a')).toBe('1');
    expect(y?.ns).toBe('urn:other');
  });

  it('decodes predefined entities, numeric references and CDATA, keeping CDATA literal', () => {
    const root = parseXml('<r v="a&amp;b&#x41;&#10;">1 &lt; 2 &#38; <![CDATA[<&amp;>]]></r>');
    expect(root.text).toBe('1 < 2 & <&amp;>');
    expect(attr(root, 'v')).toBe('a&bA\n');
  });

  it('normalises literal white space in attribute values', () => {
    expect(attr(parseXml('<r v="a\tb\nc"/>'), 'v')).toBe('a b c');
  });

  it.each([
    ['a DOCTYPE', '<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>', /DOCTYPE/],
    ['an undeclared entity', '<r>&x;</r>', /entity/],
    ['a bare ampersand in an attribute', '<r v="a&b"/>', /./],
    ['a reference to an illegal character', '<r>&#1;</r>', /illegal XML character/],
    ['not XML at all', 'hello', /well-formed/],
    ['unclosed elements', '<r><a></r>', /well-formed/],
    ['two document elements', '<a/><b/>', /one document element/],
    ['an undeclared prefix', '<p:r/>', /not declared/],
    ['a non-UTF-8 declaration', '<?xml version="1.0" encoding="ISO-8859-1"?><r/>', /UTF-8/],
    ['XML 1.1', '<?xml version="1.1"?><r/>', /1\.0/],
    ['text after the document element', '<r/>tail', /after the document element/],
  ])('refuses %s', (_name, xml, message) => {
    expect(() => parseXml(xml)).toThrow(XmlSyntaxError);
    expect(() => parseXml(xml)).toThrow(message);
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(() => parseXml(Buffer.from([0x3c, 0x72, 0x3e, 0xff, 0x3c, 0x2f, 0x72, 0x3e]))).toThrow(/UTF-8/);
  });

  it('accepts a BOM and an XML declaration', () => {
    expect(parseXml(Buffer.from('\uFEFF<?xml version="1.0" encoding="utf-8"?><r/>', 'utf8')).local).toBe('r');
  });
});
