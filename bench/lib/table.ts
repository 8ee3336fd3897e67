import type { BenchResult, Check } from './report';

/** What bench:retrieve prints (bench/retrieve.ts, whose format predates the checks list). */
interface RetrieveLine {
  readonly benchmark: 'retrieve';
  readonly documentMiB: number;
  readonly facadeMiBps: number;
  readonly passthroughMiBps: number;
  readonly ratio: number;
  readonly facadePeakRssGrowthMiB: number;
}

/** The checks of any benchmark's result line (bench:retrieve's are derived from its figures). */
export function checksOf(result: BenchResult | RetrieveLine): readonly Check[] {
  if (!('checks' in result)) {
    return [
      { name: `${result.documentMiB} MiB Binary throughput (MiB/s) vs pass-through`, value: result.facadeMiBps, baseline: result.passthroughMiBps, ratio: result.ratio, target: '>= 0.8 x pass-through', pass: result.ratio >= 0.8 },
      { name: 'facade peak RSS growth while streaming (MiB)', value: result.facadePeakRssGrowthMiB, target: '< 64 MiB', pass: result.facadePeakRssGrowthMiB < 64 },
    ];
  }
  return result.checks;
}

const COLUMNS = ['benchmark', 'measure', 'value', 'baseline', 'ratio', 'target', 'result'] as const;

function cell(value: number | string | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'number' ? String(value) : value;
}

/** One plain-text table of every check, columns padded. */
export function renderTable(rows: ReadonlyArray<{ benchmark: string; check: Check }>): string {
  const cells = rows.map(({ benchmark, check }) => [
    benchmark,
    check.name,
    cell(check.value),
    cell(check.baseline),
    cell(check.ratio),
    check.target,
    check.target === 'info' ? '-' : check.pass ? 'PASS' : 'FAIL',
  ]);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ');
  return [line(COLUMNS), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n');
}

export type { RetrieveLine };
