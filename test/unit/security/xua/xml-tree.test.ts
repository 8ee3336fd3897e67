import { parseXmlTree, XmlTreeError, XML_TREE_LIMITS } from '../../../../src/security/xua/xml-tree';
import { attrValue, inScopeNamespaces } from '../../../../src/security/xua/xml-query';

describe('parseXmlTree', () => {
  it('resolves namespaces, keeps offsets exact and drops comments from text', () => {
    const xml = '<?xml version="1.0"?>\n<a:root xmlns:a="urn:a" xmlns="urn:d"><child x="1" a:y="2">t<!-- c -->u<![CDATA[<v>]]></child><a:e/></a:root>';
    const root = parseXmlTree(xml);
    const [child, empty] = root.children;
    expect([root.uri, root.local, root.name]).toEqual(['urn:a', 'root', 'a:root']);
    expect(child && [child.uri, child.text, attrValue(child, 'x'), attrValue(child, 'y', 'urn:a')]).toEqual(['urn:d', 'tu<v>', '1', '2']);
    expect(child && xml.slice(child.start, child.end)).toBe('<child x="1" a:y="2">t<!-- c -->u<![CDATA[<v>]]></child>');
    expect(empty && xml.slice(empty.start, empty.end)).toBe('<a:e/>');
    expect(xml.slice(root.start, root.end)).toBe(xml.slice(xml.indexOf('<a:root')));
    expect(child && [...inScopeNamespaces(child)]).toEqual([['a', 'urn:a'], ['', 'urn:d']]);
  });

  it('refuses a DOCTYPE, even a harmless one', () => {
    expect(() => parseXmlTree('<!DOCTYPE r><r/>')).toThrow(new XmlTreeError('a DOCTYPE is not allowed'));
    expect(() => parseXmlTree('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>')).toThrow(/DOCTYPE/);
  });

  it('refuses undefined entities, unbound prefixes, truncation and excessive depth', () => {
    expect(() => parseXmlTree('<r>&x;</r>')).toThrow(XmlTreeError);
    expect(() => parseXmlTree('<p:r/>')).toThrow(XmlTreeError);
    expect(() => parseXmlTree('<r><s></r>')).toThrow(XmlTreeError);
    const deep = `${'<e>'.repeat(XML_TREE_LIMITS.maxDepth + 1)}${'</e>'.repeat(XML_TREE_LIMITS.maxDepth + 1)}`;
    expect(() => parseXmlTree(deep)).toThrow(/deeper/);
  });
});
