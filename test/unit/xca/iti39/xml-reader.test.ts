import { XcaError } from '../../../../src/xca/errors';
import { readRetrieveXml } from '../../../../src/xca/iti39/xml-reader';
import { XML_LIMITS } from '../../../../src/xca/soap/constants';
import type { XmlSink, XmlTag } from '../../../../src/xca/xml/stream-parser';
import { chunked, whole } from '../support/sources';
import { xcaRejection } from '../support/rejection';

/**
 * The ITI-39 XML reader's own rules and its exact errors (kind and message): what it refuses, in the words it
 * uses, and that a failed read stops its source. Unlike the ITI-38 stream parser it keeps no text-length cap and
 * counts the characters, not the UTF-8 bytes, of a string chunk.
 */

const WHAT = 'ITI-39 response';
const OPTIONS = { maxBytes: 1024 * 1024, what: WHAT };

/** Records the events as `<{uri}local attrs>`, `</local>` and the text. */
class Recorder implements XmlSink {
  readonly events: string[] = [];
  open(tag: XmlTag): void {
    this.events.push(`<{${tag.uri}}${tag.local}${[...tag.attributes].map(([k, v]) => ` ${k}=${v}`).join('')}>`);
  }
  close(tag: XmlTag): void {
    this.events.push(`</${tag.local}>`);
  }
  text(text: string): void {
    this.events.push(text);
  }
}

async function refusal(source: AsyncIterable<Buffer | string>, options = OPTIONS, sink: XmlSink = new Recorder()): Promise<{ kind: string; message: string }> {
  const err = await xcaRejection(readRetrieveXml(source, sink, options));
  return { kind: err.kind, message: err.message };
}

const unparseable = (why: string): { kind: string; message: string } => ({ kind: 'unparseable', message: `The ${WHAT} ${why}` });

describe('readRetrieveXml', () => {
  it('hands the sink namespace-resolved tags, attributes and text, the same however the bytes are chunked', async () => {
    const xml = Buffer.from(`\ufeff<?xml version="1.0" encoding="UTF-8"?><a:r xmlns:a="urn:a" xmlns="urn:d" x="1" a:y="2" xml:lang="en"><c>t&amp;u<![CDATA[<v>]]></c>é</a:r>`);
    const reference = new Recorder();
    await readRetrieveXml(whole(xml), reference, OPTIONS);
    expect(reference.events).toEqual(['<{urn:a}r x=1 {urn:a}y=2 {http://www.w3.org/XML/1998/namespace}lang=en>', '<{urn:d}c>', 't&u', '<v>', '</c>', 'é', '</r>']);
    for (const sizes of [[1], [2, 5], [64]]) {
      const sink = new Recorder();
      await readRetrieveXml(chunked(xml, sizes), sink, OPTIONS);
      expect(sink.events).toEqual(reference.events);
    }
  });

  it('keeps a text node longer than the ITI-38 parser allows (an inline document)', async () => {
    const text = 'A'.repeat(XML_LIMITS.maxTextChars + 10);
    const sink = new Recorder();
    await readRetrieveXml(whole(`<r>${text}</r>`), sink, OPTIONS);
    expect(sink.events.join('')).toBe(`<{}r>${text}</r>`);
  });

  it('counts the characters of a string chunk against maxBytes', async () => {
    const xml = `<r>${'é'.repeat(10)}</r>`; // 17 characters, 27 UTF-8 bytes
    await expect(readRetrieveXml(whole(xml), new Recorder(), { maxBytes: xml.length, what: WHAT })).resolves.toBeUndefined();
    expect(await refusal(whole(xml), { maxBytes: xml.length - 1, what: WHAT })).toEqual({ kind: 'oversize', message: `The ${WHAT} is larger than the limit of ${xml.length - 1} bytes` });
    expect(await refusal(whole(Buffer.from(xml)), { maxBytes: xml.length, what: WHAT })).toEqual({ kind: 'oversize', message: `The ${WHAT} is larger than the limit of ${xml.length} bytes` });
  });

  it.each([
    ['truncated XML', '<a><b></b>', unparseable('is not well-formed XML (unclosed tag: a)')],
    ['a mismatched end tag', '<a></b>', unparseable('is not well-formed XML (unexpected close tag.)')],
    ['an unbound prefix', '<p:a/>', unparseable('is not well-formed XML (unbound namespace prefix: "p".)')],
    ['a DOCTYPE', '<!DOCTYPE a [<!ENTITY e "x">]><a/>', unparseable('contains a DOCTYPE; DTDs are refused (no entity or external-entity processing)')],
    ['a declared encoding other than UTF-8', '<?xml version="1.0" encoding="ISO-8859-1"?><a/>', unparseable('declares an unsupported character encoding (UTF-8 expected)')],
    ['nesting too deep', `${'<a>'.repeat(XML_LIMITS.maxDepth + 1)}${'</a>'.repeat(XML_LIMITS.maxDepth + 1)}`, unparseable(`nests elements deeper than ${XML_LIMITS.maxDepth} levels`)],
    ['an over-long attribute', `<a b="${'x'.repeat(XML_LIMITS.maxAttributeChars + 1)}"/>`, { kind: 'oversize', message: `The ${WHAT} holds an attribute longer than ${XML_LIMITS.maxAttributeChars} characters` }],
  ])('refuses %s', async (_name, xml, expected) => {
    expect(await refusal(whole(Buffer.from(xml)))).toEqual(expected);
    expect(await refusal(chunked(Buffer.from(xml), [3]))).toEqual(expected);
  });

  it('refuses bytes that are not UTF-8, mid-stream and at the end', async () => {
    expect(await refusal(whole(Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e])))).toEqual(unparseable('is not valid UTF-8 (or UTF-16) text'));
    expect(await refusal(whole(Buffer.from([0x3c, 0x61, 0x2f, 0x3e, 0xc3])))).toEqual(unparseable('is not valid UTF-8 (or UTF-16) text'));
  });

  it('passes on an XcaError of the sink, and reports anything else it throws as unreadable', async () => {
    const throwing = (err: Error): XmlSink => ({ open: () => { throw err; }, close: () => undefined, text: () => undefined });
    const own = new XcaError('soap-fault', 'sink says no');
    expect(await refusal(whole('<a/>'), OPTIONS, throwing(own))).toEqual({ kind: 'soap-fault', message: 'sink says no' });
    expect(await refusal(whole('<a/>'), OPTIONS, throwing(new TypeError('bug')))).toEqual(unparseable('could not be read'));
  });

  it('normalises an error of the source, and stops the source when the parse fails', async () => {
    async function* broken(): AsyncGenerator<string> {
      yield '<a>';
      throw new Error('socket hang up');
    }
    expect(await refusal(broken())).toEqual({ kind: 'network', message: 'The exchange with the responding gateway failed unexpectedly' });

    let stopped = false;
    let pulled = 0;
    async function* endless(): AsyncGenerator<string> {
      try {
        for (;;) {
          pulled += 1;
          yield pulled === 1 ? '<a>' : '</b>';
        }
      } finally {
        stopped = true;
      }
    }
    expect(await refusal(endless())).toEqual(unparseable('is not well-formed XML (unexpected close tag.)'));
    expect([stopped, pulled]).toEqual([true, 2]);
  });

  it('stops at maxBytes without reading further', async () => {
    let pulled = 0;
    async function* big(): AsyncGenerator<Buffer> {
      for (;;) {
        pulled += 1;
        yield Buffer.from(pulled === 1 ? '<a>' : 'x'.repeat(100));
      }
    }
    expect(await refusal(big(), { maxBytes: 250, what: WHAT })).toEqual({ kind: 'oversize', message: `The ${WHAT} is larger than the limit of 250 bytes` });
    expect(pulled).toBe(4);
  });
});
