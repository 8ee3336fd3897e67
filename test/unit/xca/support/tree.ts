import { parseXmlStream, type XmlTag } from '../../../../src/xca/xml/stream-parser';
import { SubtreeBuilder, type XmlNode } from '../../../../src/xca/xml/subtree';
import { whole } from './sources';

/** Parse a whole (small) XML document into one namespace-resolved tree, to check what a receiver would see. */
export async function parseTree(xml: string): Promise<XmlNode> {
  let builder: SubtreeBuilder | undefined;
  let done = false;
  const sink = {
    open: (tag: XmlTag): void => {
      if (builder) builder.open(tag);
      else builder = new SubtreeBuilder(tag);
    },
    close: (): void => {
      if (builder?.close()) done = true;
    },
    text: (text: string): void => {
      if (builder && !done) builder.text(text);
    },
  };
  await parseXmlStream(whole(xml), sink, { maxBytes: 10 * 1024 * 1024, what: 'test message' });
  if (!builder) throw new Error('no root element');
  return builder.root;
}
