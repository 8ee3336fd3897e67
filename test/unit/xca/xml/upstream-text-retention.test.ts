import v8 from 'node:v8';
import vm from 'node:vm';
import { toDocumentReference } from '../../../../src/fhir/document-reference';
import { CommunityHealth } from '../../../../src/interactions/community-health';
import type { RimExtrinsicObject } from '../../../../src/xca/model';
import { detached } from '../../../../src/xca/xml/decode';
import { BASE_URL, COMMUNITY, NHS_NUMBER, SCHEME, code, pdfReport } from '../../fhir/document-entry-fixtures';

/*
 * The XML readers hand out substrings of the text they decoded, and V8 keeps a substring as a pointer into its
 * parent string: a value held for longer than the answer it came from holds the whole answer (up to the configured
 * response size limit) in memory with it. What outlives one answer keeps a copy (detached). Here the parent is
 * 64 MiB, so whether it was freed shows plainly in the heap after a full collection.
 */

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

const PARENT_CHARS = 64 * 1024 * 1024;

/** Heap in use after a full collection, in bytes. */
function heapAfterGc(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/** `value` as an XML reader hands it out: a substring of a 64 MiB decoded answer. */
function cutFromLargeAnswer(value: string): string {
  const text = `${'x'.repeat(PARENT_CHARS)}<Value>${value}</Value>`;
  const start = text.indexOf('<Value>') + '<Value>'.length;
  return text.slice(start, text.indexOf('</Value>', start));
}

/** Heap growth, after a full collection, left by `act` (which drops everything it made but what it keeps). */
function retainedBy(act: () => void): number {
  const before = heapAfterGc();
  act();
  return heapAfterGc() - before;
}

/** A copy of the sample report whose type code names `codingScheme`. */
function withTypeScheme(codingScheme: string): RimExtrinsicObject {
  const entry = pdfReport();
  return {
    ...entry,
    classifications: entry.classifications.map((c) => (c.classificationScheme === SCHEME.type ? code(SCHEME.type, '371530004', codingScheme, 'Clinical consultation report') : c)),
  };
}

describe('what outlives an answer keeps no upstream text alive', () => {
  it('detached copies a substring without its parent', () => {
    let copy = '';
    const retained = retainedBy(() => {
      copy = detached(cutFromLargeAnswer('urn:oid:1.2.826.0.1.285000001'));
    });
    expect(copy).toBe('urn:oid:1.2.826.0.1.285000001');
    expect(retained).toBeLessThan(PARENT_CHARS / 4);
  });

  it('detached copies every UTF-16 code unit exactly, a lone surrogate included', () => {
    const text = 'Müller \u{1F600} \uD800 end';
    expect(detached(text)).toBe(text);
    expect(detached('')).toBe('');
  });

  it('a code system seen once (the mapping remembers it) does not keep the answer it came from', () => {
    let system: string | undefined;
    const retained = retainedBy(() => {
      // A scheme never seen before in this process, so the mapping remembers it.
      const oid = `1.2.826.0.1.285000001.${process.pid}.${Date.now()}`;
      const result = toDocumentReference(withTypeScheme(cutFromLargeAnswer(oid)), { community: COMMUNITY, nhsNumber: NHS_NUMBER, baseUrl: BASE_URL });
      if (!result.ok) throw new Error(`expected a mapping, got: ${result.reason}`);
      system = result.resource.type?.coding?.[0]?.system;
    });
    expect(system).toMatch(/^urn:oid:1\.2\.826\.0\.1\.285000001\./);
    expect(retained).toBeLessThan(PARENT_CHARS / 4);
  });

  it("a community's last failure, shown by /_status until the next one, does not keep the answer it came from", () => {
    const health = new CommunityHealth([COMMUNITY]);
    const retained = retainedBy(() => {
      health.recordFailure(COMMUNITY, `Community "${COMMUNITY.name}" answered XDSRegistryError: ${cutFromLargeAnswer('Registry not available')}`);
    });
    expect(health.snapshot()[0]?.lastFailure).toBe(`Community "${COMMUNITY.name}" answered XDSRegistryError: Registry not available`);
    expect(retained).toBeLessThan(PARENT_CHARS / 4);
  });
});
