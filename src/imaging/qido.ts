import { TAGS, type TagKeyword } from './dicom-dictionary';
import type { DicomJsonDataset } from './dicom-json';

/**
 * QIDO-RS query parameters (DICOM PS3.18 8.3.4 and 10.6.1.2) applied to result data sets: attribute matching by
 * keyword or tag, `limit` and `offset`; `includefield` and `fuzzymatching` are accepted (every attribute the facade
 * has is always included, and matching is never fuzzy). Matching (PS3.4 C.2.2.2): a list of UIDs (comma or
 * backslash separated) for UI attributes; `*` and `?` wildcards for text; a DA range (`from-to`, `from-`, `-to`);
 * otherwise an exact, case-sensitive value. An attribute with several values (Modalities in Study) matches when one
 * of them does. A parameter that is neither a supported matching key of the level nor a reserved one is refused,
 * naming it, rather than silently ignored: a client would otherwise take unfiltered results for filtered ones.
 */

export type QidoLevel = 'study' | 'series' | 'instance';

/** The matching keys each level supports (its own and, for a search under a study or series, the level above). */
export const QIDO_MATCHING_KEYS: Readonly<Record<QidoLevel, readonly TagKeyword[]>> = {
  study: ['StudyInstanceUID', 'PatientID', 'AccessionNumber', 'StudyDate', 'ModalitiesInStudy'],
  series: ['StudyInstanceUID', 'SeriesInstanceUID', 'Modality', 'SeriesNumber'],
  instance: ['StudyInstanceUID', 'SeriesInstanceUID', 'SOPInstanceUID', 'SOPClassUID', 'InstanceNumber', 'Modality'],
};

const RESERVED = new Set(['limit', 'offset', 'includefield', 'fuzzymatching']);

/** A query parameter the level cannot honour (the caller answers 400 with this message). */
export class QidoQueryError extends Error {
  constructor(
    message: string,
    readonly parameter: string,
  ) {
    super(message);
    this.name = 'QidoQueryError';
  }
}

interface Matcher {
  readonly tag: string;
  readonly test: (value: string) => boolean;
}

export interface QidoQuery {
  readonly matchers: readonly Matcher[];
  readonly offset: number;
  readonly limit: number | undefined;
}

function keywordOf(name: string): TagKeyword | undefined {
  if (name in TAGS) return name as TagKeyword;
  const tag = name.toUpperCase();
  return (Object.keys(TAGS) as TagKeyword[]).find((k) => TAGS[k].tag === tag);
}

function wildcard(pattern: string): (value: string) => boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
  return (value) => re.test(value);
}

function matcherOf(keyword: TagKeyword, raw: string): Matcher['test'] {
  const { vr } = TAGS[keyword];
  if (vr === 'UI') {
    const uids = new Set(raw.split(/[,\\]/).map((u) => u.trim()).filter((u) => u !== ''));
    return (value) => uids.has(value);
  }
  if (vr === 'DA' && raw.includes('-')) {
    const [from = '', to = ''] = raw.split('-', 2);
    return (value) => (from === '' || value >= from) && (to === '' || value <= to);
  }
  if (/[*?]/.test(raw)) return wildcard(raw);
  return (value) => value === raw;
}

function count(name: string, raw: string): number {
  if (!/^\d{1,9}$/.test(raw)) throw new QidoQueryError(`${name} must be a whole number, got "${raw}"`, name);
  return Number(raw);
}

/** Read the query of a QIDO-RS search at `level`; throws QidoQueryError for a parameter it cannot honour. */
export function readQidoQuery(level: QidoLevel, params: ReadonlyArray<readonly [string, string]>): QidoQuery {
  const matchers: Matcher[] = [];
  let offset = 0;
  let limit: number | undefined;
  for (const [name, raw] of params) {
    if (RESERVED.has(name)) {
      if (name === 'offset') offset = count(name, raw);
      if (name === 'limit') limit = count(name, raw);
      continue;
    }
    const keyword = keywordOf(name);
    if (keyword === undefined || !QIDO_MATCHING_KEYS[level].includes(keyword)) {
      throw new QidoQueryError(`'${name}' is not a matching key this server supports for a ${level} search (${QIDO_MATCHING_KEYS[level].join(', ')})`, name);
    }
    if (raw === '') continue; // universal matching: any value, or none
    matchers.push({ tag: TAGS[keyword].tag, test: matcherOf(keyword, raw) });
  }
  return { matchers, offset, limit };
}

/** The data sets that match every matcher, then the page `offset`, `limit` of them. */
export function applyQidoQuery(datasets: readonly DicomJsonDataset[], query: QidoQuery): DicomJsonDataset[] {
  const matching = datasets.filter((d) =>
    query.matchers.every(({ tag, test }) => (d[tag]?.Value ?? []).some((v) => test(String(v)))),
  );
  return matching.slice(query.offset, query.limit === undefined ? undefined : query.offset + query.limit);
}
