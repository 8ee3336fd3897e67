/**
 * Chunk splitting: each variant (good and bad) is fed cut at every byte position into two chunks, and one byte
 * per chunk, and must give the identical outcome to the single-chunk parse. A boundary, CR/LF, header-end or
 * base64 quantum straddling two chunks is where stream parsers go wrong; this leaves no cut untested.
 */
import { bytewise, parseToOutcome, twoWaySplits, type ParseOutcome } from './mtom-kit';
import { ERROR_VARIANTS, OK_VARIANTS, type Variant } from './mtom-variants';

async function outcomesDiffering(variant: Variant, reference: ParseOutcome): Promise<string[]> {
  const bad: string[] = [];
  const splits = twoWaySplits(variant.body);
  for (const [i, chunks] of splits.entries()) {
    const outcome = await parseToOutcome(chunks, variant.contentType, variant.open, variant.options);
    if (JSON.stringify(outcome) !== JSON.stringify(reference)) bad.push(`split at ${i + 1}: ${JSON.stringify(outcome)}`);
  }
  return bad;
}

describe('readMtom is independent of chunk boundaries', () => {
  const all = [...OK_VARIANTS, ...ERROR_VARIANTS];

  it.each(all.map((v) => [v.name, v] as const))('two chunks, every cut: %s', async (_name, variant) => {
    const reference = await parseToOutcome([variant.body], variant.contentType, variant.open, variant.options);
    expect(reference).toMatchObject(variant.expected);
    expect(await outcomesDiffering(variant, reference)).toEqual([]);
  });

  it.each(all.map((v) => [v.name, v] as const))('one byte per chunk: %s', async (_name, variant) => {
    const reference = await parseToOutcome([variant.body], variant.contentType, variant.open, variant.options);
    const outcome = await parseToOutcome(bytewise(variant.body), variant.contentType, variant.open, variant.options);
    expect(outcome).toEqual(reference);
  });
});
