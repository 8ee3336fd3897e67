import { escapeAttribute, escapeText } from '../../../../src/xca/xml/escape';
import { el, renderXml } from '../../../../src/xca/xml/writer';

describe('escapeText / escapeAttribute', () => {
  it('escapes markup characters', () => {
    expect(escapeText(`a & b < c > d "e" 'f'`)).toBe(`a &amp; b &lt; c &gt; d "e" 'f'`);
    expect(escapeText(']]>')).toBe(']]&gt;');
    expect(escapeAttribute(`a & "b" <c>`)).toBe('a &amp; &quot;b&quot; &lt;c&gt;');
  });

  it('keeps whitespace that XML normalisation would otherwise change', () => {
    expect(escapeAttribute('a\tb\nc\rd')).toBe('a&#9;b&#10;c&#13;d');
    expect(escapeText('a\r\nb')).toBe('a&#13;\nb');
  });

  it('passes non-ASCII text through unchanged (the document is UTF-8)', () => {
    expect(escapeText('Zoë – Ærø 😀')).toBe('Zoë – Ærø 😀');
  });

  it('refuses characters XML 1.0 cannot carry at all', () => {
    for (const bad of ['\u0000', 'a\u0001b', '\u001F', '\uFFFE', '\uD800', 'x\uDC00']) {
      expect(() => escapeText(bad)).toThrow(RangeError);
    }
  });
});

describe('renderXml', () => {
  it('writes indented elements, drops undefined attributes, escapes, self-closes empty ones', () => {
    const xml = renderXml(el('a:Root', [['x', '1'], ['y', undefined], ['z', '"q"']], [el('a:Leaf', [], 'v & w'), el('a:Empty'), { raw: '<raw/>' }]));
    expect(xml).toBe('<a:Root x="1" z="&quot;q&quot;">\n  <a:Leaf>v &amp; w</a:Leaf>\n  <a:Empty/>\n<raw/>\n</a:Root>');
  });
});
