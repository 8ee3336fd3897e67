import { el, escapeAttribute, escapeText, serialize } from '../../../../src/sandbox/xml/write';
import { parseXml } from '../../../../src/sandbox/xml/parse';
import { attr } from '../../../../src/sandbox/xml/tree';

describe('sandbox XML writer', () => {
  it('escapes markup in text and attributes', () => {
    expect(escapeText('a<b>&c]]>')).toBe('a&lt;b&gt;&amp;c]]&gt;');
    expect(escapeAttribute('"x" & <y>\n')).toBe('&quot;x&quot; &amp; &lt;y>&#10;');
  });

  it('replaces characters XML cannot carry', () => {
    expect(escapeText('a\u0001b')).toBe('a\uFFFDb');
  });

  it('round-trips awkward values through a parser unchanged', () => {
    const value = `O'Brien & "Sons" <ltd>\ttab\nline`;
    const xml = serialize(el('r', { v: value, skipped: undefined }, [el('c', undefined, undefined, value)]));
    const root = parseXml(xml);
    expect(attr(root, 'v')).toBe(value);
    expect(attr(root, 'skipped')).toBeUndefined();
    expect(root.children[0]?.text).toBe(value);
  });

  it('writes empty elements self-closed', () => {
    expect(serialize(el('a', { x: '1' }, []))).toBe('<a x="1"/>');
  });
});
