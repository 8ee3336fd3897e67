import { XcaError } from '../../../../src/xca/errors';
import type { XmlNode } from '../../../../src/xca/xml/subtree';
import { parseTree } from '../support/tree';
import { xcaRejection } from '../support/rejection';

/**
 * The stream parser resolves namespaces itself (saxes runs with xmlns: false): names resolve by Namespaces in
 * XML 1.0 scoping, and what saxes' namespace mode refused is still refused as 'unparseable'.
 */

const A = 'urn:test:a';
const B = 'urn:test:b';
const XML = 'http://www.w3.org/XML/1998/namespace';

function names(node: XmlNode): unknown {
  return [`{${node.uri}}${node.local}`, Object.fromEntries(node.attributes), node.children.map(names)];
}

async function refusal(xml: string): Promise<XcaError> {
  const err = await xcaRejection(parseTree(xml));
  expect(err.kind).toBe('unparseable');
  return err;
}

describe('stream parser namespaces', () => {
  it('resolves prefixes, default namespaces and redeclarations in scope, and only there', async () => {
    const root = await parseTree(
      `<a:root xmlns:a="${A}" xmlns="${B}" plain="1" a:q="2" xml:lang="en">` +
        `<child><a:x xmlns:a="${B}" a:y="3"/><a:z/></child>` +
        `<inner xmlns=""><deep/></inner>` +
        `<c:x xmlns:c="${A}"><c:y/></c:x>` +
        `</a:root>`,
    );
    expect(names(root)).toEqual([
      `{${A}}root`,
      { plain: '1', [`{${A}}q`]: '2', [`{${XML}}lang`]: 'en' },
      [
        [`{${B}}child`, {}, [[`{${B}}x`, { [`{${B}}y`]: '3' }, []], [`{${A}}z`, {}, []]]],
        [`{}inner`, {}, [[`{}deep`, {}, []]]],
        [`{${A}}x`, {}, [[`{${A}}y`, {}, []]]],
      ],
    ]);
  });

  it('gives attributes as a read-only map without the namespace declarations', async () => {
    const root = await parseTree(`<r xmlns="${A}" xmlns:b="${B}" id="7" b:id="8"/>`);
    expect(root.attributes.get('id')).toBe('7');
    expect(root.attributes.get(`{${B}}id`)).toBe('8');
    expect(root.attributes.has('xmlns')).toBe(false);
    expect(root.attributes.get('constructor')).toBeUndefined();
    expect(root.attributes.size).toBe(2);
    expect([...root.attributes.keys()]).toEqual(['id', `{${B}}id`]);
  });

  it('a prefix declared on a sibling or a closed element is not in scope', async () => {
    await refusal(`<r><a:x xmlns:a="${A}"/><a:y/></r>`);
  });

  it.each([
    ['an unbound element prefix', `<p:r/>`],
    ['an unbound attribute prefix', `<r p:x="1"/>`],
    ['the xmlns prefix on an element', `<xmlns:r/>`],
    ['the xml prefix bound to another namespace', `<r xmlns:xml="${A}"/>`],
    ['another prefix bound to the xml namespace', `<r xmlns:p="${XML}"/>`],
    ['the default namespace set to the xml namespace', `<r xmlns="${XML}"/>`],
    ['a prefix bound to the xmlns namespace', `<r xmlns:p="http://www.w3.org/2000/xmlns/"/>`],
    ['the xmlns prefix declared', `<r xmlns:xmlns="http://www.w3.org/2000/xmlns/"/>`],
    ['a prefix undeclared in XML 1.0', `<r xmlns:p="${A}"><s xmlns:p=""/></r>`],
    ['two attributes with the same expanded name', `<r xmlns:a="${A}" xmlns:b="${A}" a:x="1" b:x="2"/>`],
    ['an empty prefix', `<:r/>`],
    ['an empty local name', `<r xmlns:a="${A}"><a:/></r>`],
    ['two colons in a name', `<r xmlns:a="${A}"><a:b:c/></r>`],
    ['two colons in an attribute name', `<r xmlns:a="${A}" a:b:c="1"/>`],
    ['an empty declared prefix', `<r xmlns:="${A}"/>`],
    ['a close tag with another prefix for the same namespace', `<a:r xmlns:a="${A}" xmlns:b="${A}"></b:r>`],
  ])('refuses %s', async (_what, xml) => {
    await refusal(xml);
  });

  it('refuses an oversized attribute also on an element that declares namespaces', async () => {
    const err = await xcaRejection(parseTree(`<r xmlns:a="${A}" a:x="${'x'.repeat(64 * 1024 + 1)}"/>`));
    expect(err.kind).toBe('oversize');
  });
});
