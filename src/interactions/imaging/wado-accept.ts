import { FacadeError } from '../../errors/facade-error';

/**
 * WADO-RS content negotiation (DICOM PS3.18 8.7.3 "Accept", 10.4.1.2 "Media Types"), for what this door serves:
 * instances as `multipart/related; type="application/dicom"` and metadata as `application/dicom+json`. Any
 * `transfer-syntax` parameter is accepted: the instances come in a syntax of the TransferSyntaxUIDList RAD-75 sent
 * (mappings/imaging.json), which the part headers do not restate.
 */

interface MediaRange {
  readonly type: string;
  readonly params: ReadonlyMap<string, string>;
  readonly q: number;
}

function parseRange(range: string): MediaRange {
  const [type = '', ...rest] = range.split(';');
  const params = new Map<string, string>();
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq > 0) params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase());
  }
  const q = Number(params.get('q') ?? '1');
  return { type: type.trim().toLowerCase(), params, q: Number.isFinite(q) ? q : 1 };
}

/** The ranges of an Accept header, those with q=0 (explicitly refused) left out; undefined when absent or empty. */
function ranges(accept: string | undefined): MediaRange[] | undefined {
  if (accept === undefined || accept.trim() === '') return undefined;
  return accept
    .split(',')
    .map(parseRange)
    .filter((r) => r.type !== '' && r.q > 0);
}

function refuse(accept: string, serves: string): FacadeError {
  return new FacadeError('NOT_ACCEPTABLE', `Accept '${accept}' cannot be satisfied: this resource is served as ${serves}`, { expression: 'Accept' });
}

/** Retrieve Study / Series / Instance: absent, `*\/*`, `multipart/related` (type application/dicom or none). */
export function requireDicomMultipart(accept: string | undefined, partType: string): void {
  const list = ranges(accept);
  if (list === undefined) return;
  const ok = list.some((r) => {
    if (r.type === '*/*') return true;
    if (r.type !== 'multipart/related' && r.type !== 'multipart/*') return false;
    const type = r.params.get('type');
    return type === undefined || type === partType;
  });
  if (!ok) throw refuse(accept ?? '', `multipart/related; type="${partType}"`);
}

/** Retrieve Metadata: absent, `*\/*`, `application/*`, `application/dicom+json` or `application/json`. */
export function requireDicomJson(accept: string | undefined): void {
  const list = ranges(accept);
  if (list === undefined) return;
  if (!list.some((r) => ['*/*', 'application/*', DICOM_JSON, 'application/json'].includes(r.type))) throw refuse(accept ?? '', DICOM_JSON);
}

/** The DICOM JSON media type (PS3.18 8.7.3.3.2). */
export const DICOM_JSON = 'application/dicom+json';

/** The frames' part type (PS3.18 8.7.3.3.2: pixel data as stored, its transfer syntax named per part). */
export const FRAME_MEDIA_TYPE = 'application/octet-stream';

/**
 * Retrieve Frames: absent, `*\/*` or `multipart/related` with type application/octet-stream (or none). Answers the
 * transfer syntaxes the client takes: '*' for any (absent, `*\/*`, `transfer-syntax=*` or no transfer-syntax given),
 * else the UIDs named; the frames go out as stored, so a client naming only others gets 406 once they are known.
 */
export function acceptedFrameSyntaxes(accept: string | undefined): '*' | ReadonlySet<string> {
  const list = ranges(accept);
  if (list === undefined) return '*';
  const fitting = list.filter((r) => {
    if (r.type === '*/*') return true;
    if (r.type !== 'multipart/related' && r.type !== 'multipart/*') return false;
    const type = r.params.get('type');
    return type === undefined || type === FRAME_MEDIA_TYPE;
  });
  if (fitting.length === 0) throw refuse(accept ?? '', `multipart/related; type="${FRAME_MEDIA_TYPE}"`);
  const named = fitting.map((r) => (r.type === '*/*' ? '*' : (r.params.get('transfer-syntax') ?? '*')));
  return named.includes('*') ? '*' : new Set(named);
}

/** 406 unless frames in `transferSyntaxUid` are what the client takes. */
export function requireFrameSyntax(accepted: '*' | ReadonlySet<string>, transferSyntaxUid: string, accept: string | undefined): void {
  if (accepted !== '*' && !accepted.has(transferSyntaxUid)) {
    throw refuse(accept ?? '', `multipart/related; type="${FRAME_MEDIA_TYPE}"; transfer-syntax=${transferSyntaxUid} (the frames as stored)`);
  }
}
