import v8 from 'node:v8';
import vm from 'node:vm';
import { toDocumentReference } from '../../../src/fhir/document-reference';
import type { RimExtrinsicObject } from '../../../src/xca/model';
import { BASE_URL, COMMUNITY, NHS_NUMBER, SCHEME, code, pdfReport } from './document-entry-fixtures';

/*
 * The XML reader hands the mapping substrings of the text it decoded, and V8 keeps a substring as a pointer into its
 * parent string: a value held for longer than the answer it came from holds the whole answer (up to the configured
 * response size limit) in memory with it. Caches that outlive one answer must keep copies, never such substrings.
 * Here the parent is 64 MiB, so whether it was freed shows plainly in the heap after a full collection.
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

/** A copy of the sample report whose type code names `codingScheme`. */
function withTypeScheme(codingScheme: string): RimExtrinsicObject {
  const entry = pdfReport();
  return {
    ...entry,
    classifications: entry.classifications.map((c) => (c.classificationScheme === SCHEME.type ? code(SCHEME.type, '371530004', codingScheme, 'Clinical consultation report') : c)),
  };
}

/** Map an entry whose coding scheme OID (seen for the first time) is a substring of a 64 MiB upstream text. */
function mapSchemeCutFromLargeText(oid: string): string | undefined {
  const text = `${'x'.repeat(PARENT_CHARS)}<Slot name="codingScheme"><ValueList><Value>${oid}</Value></ValueList></Slot>`;
  const start = text.indexOf('<Value>') + '<Value>'.length;
  const scheme = text.slice(start, text.indexOf('</Value>', start));
  const result = toDocumentReference(withTypeScheme(scheme), { community: COMMUNITY, nhsNumber: NHS_NUMBER, baseUrl: BASE_URL });
  if (!result.ok) throw new Error(`expected a mapping, got: ${result.reason}`);
  return result.resource.type?.coding?.[0]?.system;
}

describe('mapping keeps no upstream text alive', () => {
  it('a code system seen once does not keep the answer it came from in memory', () => {
    const before = heapAfterGc();
    // A scheme never seen before (so it is remembered), unique to this run.
    const system = mapSchemeCutFromLargeText(`1.2.826.0.1.285000001.${process.pid}.${Date.now()}`);
    expect(system).toMatch(/^urn:oid:1\.2\.826\.0\.1\.285000001\./);
    const retained = heapAfterGc() - before;
    expect(retained).toBeLessThan(PARENT_CHARS / 4);
  });
});
