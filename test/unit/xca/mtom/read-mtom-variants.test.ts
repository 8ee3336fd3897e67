/**
 * Every framing variant, parsed from a single chunk, gives exactly what the variant table says
 * (RFC 2046 §5.1 grammar, RFC 2387 start/type, XOP 1.0 Content-ID references).
 */
import { parseToOutcome } from './mtom-kit';
import { ERROR_VARIANTS, OK_VARIANTS } from './mtom-variants';

describe('readMtom on hand-written variants', () => {
  it.each(OK_VARIANTS.map((v) => [v.name, v] as const))('reads: %s', async (_name, variant) => {
    const outcome = await parseToOutcome([variant.body], variant.contentType, variant.open, variant.options);
    expect(outcome).toMatchObject(variant.expected);
  });

  it.each(ERROR_VARIANTS.map((v) => [v.name, v] as const))('fails cleanly: %s', async (_name, variant) => {
    const outcome = await parseToOutcome([variant.body], variant.contentType, variant.open, variant.options);
    expect(outcome).toEqual(variant.expected);
  });
});
