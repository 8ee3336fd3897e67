import { SaxesParser } from 'saxes';
import { XcaError } from '../errors';
import { NS, XML_LIMITS } from '../soap/constants';
import { SUPPORTED_DECLARED_ENCODINGS } from './decode';
import { driveXmlStream, type XmlTextTarget } from './stream-driver';

/*
 * Why saxes and not fast-xml-parser (which the project also has): fast-xml-parser wants the whole document as
 * one string and parses it in ONE synchronous call. On this 2-core machine a 5 MB ITI-38 answer with 1,000
 * DocumentEntries took ~240 ms in that blocking call (saxes: ~46 ms), stalling every other request of the service,
 * and the whole body had to be buffered first. bench:parse (7.1 MB, 1,000 entries, 2026-11-23): fast-xml-parser
 * 550-800 ms blocking; this module's parse and the mapping together ~250-330 ms, spread over ~110 slices of 64 KB,
 * the longest ~15-30 ms.
 * saxes is a streaming, well-formedness-checking SAX parser: it takes the body chunk by chunk as it arrives, so we can
 * stop at maxBytes, never hold more than the DocumentEntry being read, and give the event loop a turn between
 * slices (setImmediate; that read loop is stream-driver.ts, shared with the ITI-39 reader). saxes never processes
 * a DTD (no external entities, no entity expansion beyond the five XML built-ins); we go further and refuse any
 * DOCTYPE outright.
 *
 * saxes runs WITHOUT its namespace mode (xmlns: false) and Feeder resolves prefixes itself. saxes' xmlns mode
 * allocates a record per attribute, a scope object and a Set per element and walks the element stack for every
 * prefix: it made the bare parse of bench:parse's 7.1 MB ~1.3x slower, before any of our work. Here the bindings
 * in scope are one null-prototype record, copied only on an element that declares a namespace (in an ITI-38 answer:
 * the Envelope, rarely anything else), and the last prefix's URI is remembered, so resolving a name is a string
 * comparison; attributes are rewritten only on an element with a prefixed attribute (xml:lang, a declaration),
 * which the 'attribute' handler notes as saxes reads them. Everything saxes' xmlns mode refuses as not
 * namespace-well-formed is refused here too (test/unit/xca/xml/stream-parser-namespaces.test.ts), except a colon
 * in a processing-instruction target, which no reader here looks at.
 *
 * Per start tag the facade adds ONE object to what saxes allocates (Tag: the tag is its own attribute map, over
 * saxes' attribute record). Measured on bench:parse (2026-11-23): this layer now costs about what saxes' own
 * namespace mode cost, i.e. the facade's stream parse is as fast as the bare namespace-aware saxes baseline.
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
  await driveXmlStream(source, new Feeder(sink, options), options);
}

/** Prefix → namespace URI bindings in scope ('' is the default namespace). Null-prototype: any prefix is safe. */
type Bindings = Readonly<Record<string, string>>;

/** The namespace URIs the readers match on, so a declared URI can be replaced by the very same string (a pointer
 * comparison in V8 instead of comparing ~40 characters for every element). */
const KNOWN_URIS: ReadonlyMap<string, string> = new Map(Object.values(NS).map((uri) => [uri, uri]));

const ROOT_BINDINGS: Bindings = Object.assign(Object.create(null) as Record<string, string>, { xml: NS.xml, xmlns: NS.xmlns });

/** saxes wired to a sink: namespaces, the XML_LIMITS and the declared encoding checked here; stream-driver.ts feeds it. */
class Feeder implements XmlTextTarget {
  // xmlns: false — namespaces are resolved here (resolveTag; the header comment says why).
  private readonly parser = new SaxesParser({ xmlns: false, position: true });
  private readonly open: XmlTag[] = [];
  /** The bindings in scope outside each open element, restored when it closes. */
  private readonly outer: Bindings[] = [];
  private bindings: Bindings = ROOT_BINDINGS;
  /** The attributes of the start tag being read, in document order (filled by 'attribute', emptied by 'opentag'). */
  private readonly names: string[] = [];
  private readonly values: string[] = [];
  private attributeCount = 0;
  /** The last prefix resolved, its bindings and its URI: most elements of an answer share one prefix. */
  private lastPrefix = '';
  private lastBindings: Bindings | undefined;
  private lastUri = '';
  /** The same for the last prefixed attribute name and its `{uri}local` form. */
  private lastKey = '';
  private lastKeyBindings: Bindings | undefined;
  private lastQualified = '';
  /** The start tag being read has a prefixed attribute or a namespace declaration. */
  private qualified = false;
  /** The start tag being read declares a namespace (xmlns or xmlns:p). */
  private declares = false;
  /** The start of the document, held until its XML declaration (if any) can be read whole. */
  private prologue: string | undefined = '';

  constructor(private readonly sink: XmlSink, private readonly options: XmlStreamOptions) {
    const { parser } = this;
    // Six handlers at most: handlers are properties added to the saxes parser object, and with eight V8 turned it
    // into a slow dictionary where every event cost 4-5x (measured by bench:parse). So no 'error' handler: saxes
    // then throws its well-formedness errors out of write() and close(), where toParser() turns them into
    // XcaErrors; that leaves room for 'attribute'. The declared encoding is read from the prologue in write(),
    // the depth limit in 'opentag'.
    parser.on('doctype', () => this.fail('contains a DOCTYPE; DTDs are refused (no entity or external-entity processing)'));
    parser.on('attribute', ({ name, value }) => {
      if (value.length > XML_LIMITS.maxAttributeChars) {
        throw new XcaError('oversize', `The ${this.options.what} holds an attribute longer than ${XML_LIMITS.maxAttributeChars} characters`);
      }
      this.names[this.attributeCount] = name;
      this.values[this.attributeCount] = value;
      this.attributeCount += 1;
      if (name.includes(':')) {
        this.qualified = true;
        if (name.startsWith('xmlns:')) this.declares = true;
      } else if (name === 'xmlns') this.qualified = this.declares = true;
    });
    parser.on('opentag', (tag) => {
      if (this.open.length >= XML_LIMITS.maxDepth) this.fail(`nests elements deeper than ${XML_LIMITS.maxDepth} levels`);
      const xmlTag = this.resolveTag(tag.name, tag.attributes);
      this.open.push(xmlTag);
      this.sink.open(xmlTag);
    });
    parser.on('closetag', () => {
      const xmlTag = this.open.pop();
      this.bindings = this.outer.pop() ?? ROOT_BINDINGS;
      if (xmlTag) this.sink.close(xmlTag);
    });
    parser.on('text', (text) => this.text(text));
    parser.on('cdata', (text) => this.text(text));
  }

  close(): void {
    if (this.prologue !== undefined) this.flushPrologue();
    this.toParser(null); // close: throws on unclosed elements (a truncated body)
  }

  write(text: string): void {
    if (this.prologue !== undefined) {
      this.prologue += text;
      if (!this.prologue.includes('>') && this.prologue.length < 512) return;
      this.flushPrologue();
      return;
    }
    this.toParser(text);
  }

  /** Write to saxes (close it on null), turning the errors it throws into XcaErrors. */
  private toParser(text: string | null): void {
    try {
      if (text === null) this.parser.close();
      else this.parser.write(text);
    } catch (err) {
      // saxes reports a well-formedness error as a plain Error (with its position); ours are XcaErrors.
      if (err instanceof Error && Object.getPrototypeOf(err) === Error.prototype) this.fail(`is not well-formed XML (${err.message})`);
      throw err;
    }
  }

  /** Check the declared encoding (UTF-8 or UTF-16 only), then hand the held start to the parser. */
  private flushPrologue(): void {
    const held = this.prologue ?? '';
    this.prologue = undefined;
    const encoding = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([^"']*)["']/.exec(held)?.[1]?.toLowerCase();
    if (encoding !== undefined && !SUPPORTED_DECLARED_ENCODINGS.has(encoding)) this.fail('declares an unsupported character encoding (UTF-8 expected)');
    this.toParser(held);
  }

  /**
   * Namespaces in XML 1.0 for one start tag (saxes gives the raw qualified names): declarations are taken into
   * scope, the element's and the attributes' prefixes resolved, and everything saxes' namespace mode refuses is
   * refused here too (malformed or unbound prefixes, the xmlns prefix on an element, reserved prefixes or URIs
   * bound otherwise, undeclaring a prefix in XML 1.0, two attributes with the same expanded name).
   */
  private resolveTag(name: string, raw: Readonly<Record<string, string>>): XmlTag {
    this.outer.push(this.bindings);
    let attributes = raw; // without prefixed attributes or declarations saxes' own record serves as it is
    if (this.qualified) {
      if (this.declares) this.declare();
      attributes = this.qualify();
      this.qualified = this.declares = false;
    }
    this.attributeCount = 0;
    const colon = name.indexOf(':');
    if (colon < 0) return new Tag(this.bindings[''] ?? '', name, attributes);
    const prefix = this.prefixOf(name, colon);
    if (prefix === 'xmlns') this.fail('is not namespace-well-formed (tags may not have "xmlns" as prefix)');
    return new Tag(this.uriOf(prefix), name.slice(colon + 1), attributes);
  }

  /** Take the xmlns and xmlns:p attributes of a start tag into scope (for it and its descendants). */
  private declare(): void {
    const { names, values } = this;
    const scope = Object.assign(Object.create(null) as Record<string, string>, this.bindings);
    for (let i = 0; i < this.attributeCount; i += 1) {
      const key = names[i] ?? '';
      let prefix: string;
      if (key === 'xmlns') prefix = '';
      else if (key.startsWith('xmlns:')) prefix = this.prefixOf(key, 5, true);
      else continue;
      const declared = (values[i] ?? '').trim();
      const uri = KNOWN_URIS.get(declared) ?? declared;
      if (prefix !== '' && uri === '' && (this.parser.xmlDecl.version ?? '1.0') === '1.0') this.fail('is not namespace-well-formed (a prefix undeclared in XML 1.0)');
      if ((prefix === 'xml') !== (uri === NS.xml) || prefix === 'xmlns' || uri === NS.xmlns) {
        this.fail('is not namespace-well-formed (a reserved prefix or namespace bound otherwise)');
      }
      scope[prefix] = uri;
    }
    this.bindings = scope;
  }

  /** The attributes with prefixes resolved (`{uri}local`) and declarations left out, in document order. */
  private qualify(): Record<string, string> {
    const { names, values } = this;
    const out = Object.create(null) as Record<string, string>;
    for (let i = 0; i < this.attributeCount; i += 1) {
      const key = names[i] ?? '';
      const value = values[i] ?? '';
      const colon = key.indexOf(':');
      if (colon < 0) {
        if (key !== 'xmlns') out[key] = value;
        continue;
      }
      const prefix = this.prefixOf(key, colon);
      if (prefix === 'xmlns') continue;
      const qualified = this.qualifiedName(key, prefix, colon);
      if (qualified in out) this.fail(`is not namespace-well-formed (duplicate attribute ${qualified})`);
      out[qualified] = value;
    }
    return out;
  }

  /** `{uri}local` of a prefixed attribute name; the last one is remembered (xml:lang on every LocalizedString). */
  private qualifiedName(key: string, prefix: string, colon: number): string {
    if (key === this.lastKey && this.bindings === this.lastKeyBindings) return this.lastQualified;
    const qualified = `{${this.uriOf(prefix)}}${key.slice(colon + 1)}`;
    this.lastKey = key;
    this.lastKeyBindings = this.bindings;
    this.lastQualified = qualified;
    return qualified;
  }

  /** The prefix of a qualified name whose (only) colon is at `colon`; fails on an empty part or a second colon. */
  private prefixOf(name: string, colon: number, declaration = false): string {
    if (declaration ? name.length === colon + 1 || name.includes(':', colon + 1) : colon === 0 || colon === name.length - 1 || name.includes(':', colon + 1)) {
      this.fail('is not namespace-well-formed (a malformed qualified name)');
    }
    return declaration ? name.slice(colon + 1) : name.slice(0, colon);
  }

  private uriOf(prefix: string): string {
    if (prefix === this.lastPrefix && this.bindings === this.lastBindings) return this.lastUri;
    const uri = this.bindings[prefix];
    if (uri === undefined || uri === '') this.fail(`is not namespace-well-formed (unbound namespace prefix ${JSON.stringify(prefix)})`);
    this.lastPrefix = prefix;
    this.lastBindings = this.bindings;
    this.lastUri = uri;
    return uri;
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

/**
 * One start tag, and its own attribute map (`tag.attributes === tag`): a read-only map over a null-prototype record,
 * saxes' own when the element has no prefixed attribute and no declaration. One object per element: a Map per
 * element cost a tenth of the parse in bench:parse, a separate map object still showed in its garbage collection.
 */
class Tag implements XmlTag, ReadonlyMap<string, string> {
  private map: Map<string, string> | undefined;

  constructor(
    readonly uri: string,
    readonly local: string,
    private readonly record: Readonly<Record<string, string>>,
  ) {}

  get attributes(): ReadonlyMap<string, string> {
    return this;
  }

  get size(): number {
    return this.asMap().size;
  }

  get(name: string): string | undefined {
    return this.record[name];
  }

  has(name: string): boolean {
    return this.record[name] !== undefined;
  }

  forEach(callback: (value: string, key: string, map: ReadonlyMap<string, string>) => void, thisArg?: unknown): void {
    this.asMap().forEach((value, key) => callback.call(thisArg, value, key, this));
  }

  entries(): ReturnType<Map<string, string>['entries']> {
    return this.asMap().entries();
  }

  keys(): ReturnType<Map<string, string>['keys']> {
    return this.asMap().keys();
  }

  values(): ReturnType<Map<string, string>['values']> {
    return this.asMap().values();
  }

  [Symbol.iterator](): ReturnType<Map<string, string>['entries']> {
    return this.asMap().entries();
  }

  private asMap(): Map<string, string> {
    this.map ??= new Map(Object.entries(this.record));
    return this.map;
  }
}
