import { XcaError } from '../../../../src/xca/errors';
import { XML_LIMITS } from '../../../../src/xca/soap/constants';
import { driveXmlStream, type XmlTextTarget } from '../../../../src/xca/xml/stream-driver';
import { chunked, whole } from '../support/sources';
import { xcaRejection } from '../support/rejection';

/** The read loop shared by the XML readers, driven with a target that only records what it is given. */

class Recorder implements XmlTextTarget {
  readonly writes: string[] = [];
  closed = false;
  write(text: string): void {
    this.writes.push(text);
  }
  close(): void {
    this.closed = true;
  }
}

const OPTIONS = { maxBytes: 1024 * 1024, what: 'test document' };

async function refusal(source: AsyncIterable<Buffer | string>, options: Parameters<typeof driveXmlStream>[2], target: XmlTextTarget = new Recorder()): Promise<XcaError> {
  return xcaRejection(driveXmlStream(source, target, options));
}

describe('driveXmlStream', () => {
  it('hands the target the decoded text in slices, never empty, without the BOM, then closes it', async () => {
    const text = `<a>${'é'.repeat(XML_LIMITS.sliceBytes)}</a>`;
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    for (const source of [whole(bytes), chunked(bytes, [5]), chunked(bytes, [3, 70000]), whole(`\ufeff${text}`)]) {
      const target = new Recorder();
      await driveXmlStream(source, target, OPTIONS);
      expect(target.writes.join('')).toBe(text);
      expect(target.writes.every((w) => w.length > 0 && w.length <= XML_LIMITS.sliceBytes)).toBe(true);
      expect(target.closed).toBe(true);
    }
    const bomOnly = new Recorder();
    await driveXmlStream(whole('\ufeff'), bomOnly, OPTIONS);
    expect([bomOnly.writes, bomOnly.closed]).toEqual([[], true]);
  });

  it('counts a string chunk in UTF-8 bytes, or in characters when asked', async () => {
    const text = 'é'.repeat(10);
    const err = await refusal(whole(text), { ...OPTIONS, maxBytes: 19 });
    expect([err.kind, err.message]).toEqual(['oversize', 'The test document is larger than the limit of 19 bytes']);
    await expect(driveXmlStream(whole(text), new Recorder(), { ...OPTIONS, maxBytes: 10, countStringsAs: 'characters' })).resolves.toBeUndefined();
    expect((await refusal(whole(text), { ...OPTIONS, maxBytes: 9, countStringsAs: 'characters' })).kind).toBe('oversize');
  });

  it("passes the target's XcaErrors on, and calls anything else it throws unreadable", async () => {
    const throwing = (err: Error): XmlTextTarget => ({
      write(): void {
        throw err;
      },
      close(): void {},
    });
    const own = new XcaError('unparseable', 'target says no');
    expect(await refusal(whole('<a/>'), OPTIONS, throwing(own))).toBe(own);
    const other = await refusal(whole('<a/>'), OPTIONS, throwing(new RangeError('bug')));
    expect([other.kind, other.message]).toEqual(['unparseable', 'The test document could not be read']);
    expect(other.cause).toBeInstanceOf(RangeError);
  });
});
