import { XcaError } from '../../../../src/xca/errors';
import { MtomError, type MtomErrorReason } from '../../../../src/xca/mtom';
import { mtomToXcaError, toMtomXcaError } from '../../../../src/xca/mtom-errors';

/** src/xca/mtom-errors.ts: every MtomError reason lands on the XcaError kind the xds-errors table expects. */
describe('mtomToXcaError', () => {
  it.each<[MtomErrorReason, string]>([
    ['not-multipart', 'unparseable'],
    ['no-boundary', 'unparseable'],
    ['truncated', 'unparseable'],
    ['header-too-large', 'oversize'],
    ['root-too-large', 'oversize'],
    ['no-root', 'unparseable'],
    ['attachment-buffer-exceeded', 'oversize'],
    ['bad-base64', 'unparseable'],
    ['unsupported-encoding', 'unparseable'],
    ['unknown-cid', 'unparseable'],
    ['attachment-consumed', 'unparseable'],
    ['aborted', 'timeout'],
  ])('%s → %s', (reason, kind) => {
    const source = new MtomError(reason, `reason ${reason}`);
    const mapped = mtomToXcaError(source);
    expect(mapped).toBeInstanceOf(XcaError);
    expect(mapped.kind).toBe(kind);
    expect(mapped.cause).toBe(source);
  });

  it('source-error: network for a socket failure, timeout for an abort or a timeout anywhere in the cause chain', () => {
    const socket = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    expect(mtomToXcaError(new MtomError('source-error', 'x', { cause: socket })).kind).toBe('network');
    const abort = new DOMException('aborted', 'AbortError');
    expect(mtomToXcaError(new MtomError('source-error', 'x', { cause: abort })).kind).toBe('timeout');
    const bodyTimeout = new Error('wrapped', { cause: Object.assign(new Error('Body Timeout Error'), { code: 'UND_ERR_BODY_TIMEOUT' }) });
    expect(mtomToXcaError(new MtomError('source-error', 'x', { cause: bodyTimeout })).kind).toBe('timeout');
    const ours = new XcaError('timeout', 'The responding gateway did not answer within 5 ms');
    expect(mtomToXcaError(new MtomError('source-error', 'x', { cause: ours }))).toBe(ours);
  });

  it('toMtomXcaError keeps XcaErrors and normalises anything else', () => {
    const err = new XcaError('oversize', 'big');
    expect(toMtomXcaError(err)).toBe(err);
    expect(toMtomXcaError(new Error('boom')).kind).toBe('network');
    expect(toMtomXcaError(new MtomError('truncated', 'cut')).kind).toBe('unparseable');
  });
});
