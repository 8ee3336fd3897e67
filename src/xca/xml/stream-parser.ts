import { setImmediate as nextTurn } from 'node:timers/promises';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { XcaError, toXcaError } from '../errors';
import { NS, XML_LIMITS } from '../soap/constants';
import { SUPPORTED_DECLARED_ENCODINGS, XmlByteDecoder } from './decode';

/*
 * Why saxes and not fast-xml-parser (which the project also has): fast-xml-parser wants the whole document as
 * one string and parses it in ONE synchronous call. On this 2-core machine a 5 MB ITI-38 answer with 1,000
 * DocumentEntries took ~240 ms in that blocking call (saxes: ~46 ms), stalling every other request of the service,
 * and the whole body had to be buffered first. Re-measured with this module on a busier moment: fast-xml-parser
 * 420-700 ms blocking; this pipeline 380-520 ms in total but spread over ~80 slices of 64 KB, the longest ~10-20 ms.
 * saxes is a streaming, namespace-aware SAX parser: it takes the body chunk by chunk as it arrives, so we can
 * stop at maxBytes, never hold more than one DocumentEntry as a tree, and give the event loop a turn between
 * slices (setImmediate). saxes never processes a DTD (no external entities, no entity expansion beyond the five
 * XML built-ins); we go further and refuse any DOCTYPE outright.
 */

/** One start tag, namespace-resolved. Attributes: unqualified ones by local name, qualified ones as `{uri}local`. */
export interface XmlTag {
  readonly uri: string;
  readonly local: string;
  readonly attributes: ReadonlyMap<string, string>;
}

/** Receives the document's events in order. May throw an XcaError to stop parsing. */
export interface XmlSink {
  open(tag: XmlTag): void;
  close(tag: XmlTag): void;
  text(text: string): void;
}

export interface XmlStreamOptions {
  /** Stop reading and fail with 'oversize' past this many bytes. */
  readonly maxBytes: number;
  /** What is being read, for error messages ("ITI-38 response"). */
  readonly what: string;
}

/**
 * Parse an XML byte stream into `sink`, enforcing XML_LIMITS. Throws XcaError: 'oversize' (bytes, text or
 * attribute length), 'unparseable' (not well-formed, truncated, DOCTYPE, too deep, bad encoding); errors of the
 * source itself are passed through (normalised with toXcaError).
 */
export async function parseXmlStream(source: AsyncIterable<Buffer | string>, sink: XmlSink, options: XmlStreamOptions): Promise<void> {
  const feeder = new Feeder(sink, options);
  const iterator = source[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Buffer | string>;
    try {
      next = await iterator.next();
    } catch (err) {
      throw toXcaError(err);
    }
    if (next.done === true) break;
    try {
      await feeder.feed(next.value);
    } catch (err) {
      await iterator.return?.().catch(() => undefined); // stop the source: no more bytes are read
      throw feeder.wrap(err);
    }
  }
  try {
    feeder.finish();
  } catch (err) {
    throw feeder.wrap(err);
  }
}

class Feeder {
  private readonly parser = new SaxesParser({ xmlns: true, position: true });
  private readonly decoder = new XmlByteDecoder();
  private readonly open: XmlTag[] = [];
  private total = 0;
  private sinceYield = 0;
  private first = true;
  /** The start of the document, held until its XML declaration (if any) can be read whole. */
  private prologue: string | undefined = '';

  constructor(private readonly sink: XmlSink, private readonly options: XmlStreamOptions) {
    const { parser } = this;
    parser.on('error', (err) => this.fail(`is not well-formed XML (${err.message})`));
    parser.on('doctype', () => this.fail('contains a DOCTYPE; DTDs are refused (no entity or external-entity processing)'));
    // Six handlers at most: from the seventh, V8 turns the saxes parser object into a slow dictionary and every
    // event costs 4-5x (measured by bench:parse). The declared encoding is read from the prologue in write(),
    // the depth limit in 'opentag'.
    parser.on('opentag', (tag) => {
      if (this.open.length >= XML_LIMITS.maxDepth) this.fail(`nests elements deeper than ${XML_LIMITS.maxDepth} levels`);
      const xmlTag = toXmlTag(tag, this.options.what);
      this.open.push(xmlTag);
      this.sink.open(xmlTag);
    });
    parser.on('closetag', () => {
      const xmlTag = this.open.pop();
      if (xmlTag) this.sink.close(xmlTag);
    });
    parser.on('text', (text) => this.text(text));
    parser.on('cdata', (text) => this.text(text));
  }

  /** Feed one source chunk in slices, yielding to the event loop between slices. */
  async feed(chunk: Buffer | string): Promise<void> {
    const bytes = typeof chunk === 'string' ? Buffer.byteLength(chunk, 'utf8') : chunk.length;
    this.total += bytes;
    if (this.total > this.options.maxBytes) {
      throw new XcaError('oversize', `The ${this.options.what} is larger than the limit of ${this.options.maxBytes} bytes`);
    }
    const step = XML_LIMITS.sliceBytes;
    for (let offset = 0; offset < chunk.length; offset += step) {
      const end = Math.min(offset + step, chunk.length);
      this.write(typeof chunk === 'string' ? chunk.slice(offset, end) : this.decoder.decode(chunk.subarray(offset, end)));
      this.sinceYield += end - offset;
      if (this.sinceYield >= step) {
        this.sinceYield = 0;
        await nextTurn();
      }
    }
  }

  finish(): void {
    this.write(this.decoder.end());
    if (this.prologue !== undefined) this.flushPrologue();
    this.parser.close(); // reports unclosed elements (a truncated body) through the error handler
  }

  wrap(err: unknown): XcaError {
    if (err instanceof XcaError) return err;
    const code = (err as { code?: unknown } | null)?.code;
    const what = code === 'ERR_ENCODING_INVALID_ENCODED_DATA' ? 'is not valid UTF-8 (or UTF-16) text' : 'could not be read';
    return new XcaError('unparseable', `The ${this.options.what} ${what}`, { cause: err });
  }

  private write(text: string): void {
    if (text.length === 0) return;
    if (this.first) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM handed over inside a string chunk
    }
    if (this.prologue !== undefined) {
      this.prologue += text;
      if (!this.prologue.includes('>') && this.prologue.length < 512) return;
      this.flushPrologue();
      return;
    }
    this.parser.write(text);
  }

  /** Check the declared encoding (UTF-8 or UTF-16 only), then hand the held start to the parser. */
  private flushPrologue(): void {
    const held = this.prologue ?? '';
    this.prologue = undefined;
    const encoding = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([^"']*)["']/.exec(held)?.[1]?.toLowerCase();
    if (encoding !== undefined && !SUPPORTED_DECLARED_ENCODINGS.has(encoding)) this.fail('declares an unsupported character encoding (UTF-8 expected)');
    this.parser.write(held);
  }

  private text(text: string): void {
    if (text.length > XML_LIMITS.maxTextChars) {
      throw new XcaError('oversize', `The ${this.options.what} holds a text value longer than ${XML_LIMITS.maxTextChars} characters`);
    }
    this.sink.text(text);
  }

  private fail(what: string): never {
    throw new XcaError('unparseable', `The ${this.options.what} ${what}`);
  }
}

function toXmlTag(tag: SaxesTagNS, what: string): XmlTag {
  const attributes = new Map<string, string>();
  for (const attr of Object.values(tag.attributes)) {
    if (attr.uri === NS.xmlns) continue; // namespace declarations are not data
    if (attr.value.length > XML_LIMITS.maxAttributeChars) {
      throw new XcaError('oversize', `The ${what} holds an attribute longer than ${XML_LIMITS.maxAttributeChars} characters`);
    }
    attributes.set(attr.uri === '' ? attr.local : `{${attr.uri}}${attr.local}`, attr.value);
  }
  return { uri: tag.uri, local: tag.local, attributes };
}
