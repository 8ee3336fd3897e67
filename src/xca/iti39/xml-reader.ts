import { SaxesParser, type SaxesTagNS } from 'saxes';
import { XcaError } from '../errors';
import { NS, XML_LIMITS } from '../soap/constants';
import { SUPPORTED_DECLARED_ENCODINGS } from '../xml/decode';
import type { XmlSink, XmlTag } from '../xml/stream-parser';
import { driveXmlStream, type XmlTextTarget } from '../xml/stream-driver';

/*
 * The same streaming saxes reading as xml/stream-parser.ts (DOCTYPE refused, depth and attribute limits), over
 * the same read loop (xml/stream-driver.ts: byte limit, decoding, slices with an event-loop turn between them,
 * error normalisation), with one difference: no cap on the length of a text node. A retrieve answer may carry
 * the document inline as base64, i.e. one text node of up to ~90 MB, which stream-parser's maxTextChars (256 K)
 * refuses. Text lengths are therefore checked by the sink, which knows which element the text belongs to, and
 * memory stays bounded by `maxBytes` (saxes holds at most the bytes it was given).
 * The parser below is still its own (saxes' namespace mode, without position tracking), so the errors it
 * raises keep their words; if stream-parser.ts grows a per-element text limit, this file can go.
 */

/** Bounds of one read. */
export interface RetrieveXmlOptions {
  /** Fail with 'oversize' past this many bytes (or characters, for string chunks). */
  readonly maxBytes: number;
  /** What is being read, for error messages. */
  readonly what: string;
}

function toXmlTag(tag: SaxesTagNS, what: string): XmlTag {
  const attributes = new Map<string, string>();
  for (const attr of Object.values(tag.attributes)) {
    if (attr.uri === NS.xmlns) continue;
    if (attr.value.length > XML_LIMITS.maxAttributeChars) {
      throw new XcaError('oversize', `The ${what} holds an attribute longer than ${XML_LIMITS.maxAttributeChars} characters`);
    }
    attributes.set(attr.uri === '' ? attr.local : `{${attr.uri}}${attr.local}`, attr.value);
  }
  return { uri: tag.uri, local: tag.local, attributes };
}

/** Wire a saxes parser to `sink` with the security rules of stream-parser.ts, as the text target the driver feeds. */
function createParser(sink: XmlSink, what: string): XmlTextTarget {
  const parser = new SaxesParser({ xmlns: true, position: false });
  const open: XmlTag[] = [];
  const fail = (why: string): never => {
    throw new XcaError('unparseable', `The ${what} ${why}`);
  };
  parser.on('error', (err) => fail(`is not well-formed XML (${err.message})`));
  parser.on('doctype', () => fail('contains a DOCTYPE; DTDs are refused (no entity or external-entity processing)'));
  parser.on('xmldecl', (decl) => {
    const encoding = decl.encoding?.toLowerCase();
    if (encoding !== undefined && !SUPPORTED_DECLARED_ENCODINGS.has(encoding)) fail('declares an unsupported character encoding (UTF-8 expected)');
  });
  parser.on('opentagstart', () => {
    if (open.length >= XML_LIMITS.maxDepth) fail(`nests elements deeper than ${XML_LIMITS.maxDepth} levels`);
  });
  parser.on('opentag', (tag) => {
    const xmlTag = toXmlTag(tag, what);
    open.push(xmlTag);
    sink.open(xmlTag);
  });
  parser.on('closetag', () => {
    const xmlTag = open.pop();
    if (xmlTag) sink.close(xmlTag);
  });
  parser.on('text', (text) => sink.text(text));
  parser.on('cdata', (text) => sink.text(text));
  return {
    write(text: string): void {
      parser.write(text);
    },
    close(): void {
      parser.close();
    },
  };
}

/**
 * Parse an XML byte (or text) stream into `sink`. Throws XcaError: 'oversize' past maxBytes (bytes, or characters
 * of a string chunk), 'unparseable' for anything not well-formed, truncated, with a DOCTYPE or too deep; errors
 * of the source are normalised.
 */
export async function readRetrieveXml(source: AsyncIterable<Buffer | string>, sink: XmlSink, options: RetrieveXmlOptions): Promise<void> {
  await driveXmlStream(source, createParser(sink, options.what), { maxBytes: options.maxBytes, what: options.what, countStringsAs: 'characters' });
}
