/**
 * Hand-written MTOM bodies, one per framing variant real responders produce, with what a correct reader must
 * get from each. Shared by the variant test (whole body) and the chunk-split test (every cut, byte by byte).
 */
import type { MtomReadOptions } from '../../../../src/xca/mtom';
import { buildBody, hex, type ParseOutcome } from './mtom-kit';

export interface Variant {
  readonly name: string;
  readonly body: Buffer;
  readonly contentType: string | undefined;
  /** Attachments to open, in this order, as the caller would name them (hrefs or Content-IDs). */
  readonly open: readonly string[];
  readonly options?: MtomReadOptions;
  readonly expected: Partial<ParseOutcome> & Pick<ParseOutcome, 'ok'>;
}

const XML = '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><D><xop:Include href="cid:doc1@x"/></D></s:Body></s:Envelope>';
const ROOT_TYPE = 'application/xop+xml; charset=UTF-8; type="application/soap+xml"';
const root = (id: string, xml = XML): { headers: string[]; body: string } => ({
  headers: [`Content-Type: ${ROOT_TYPE}`, 'Content-Transfer-Encoding: binary', `Content-ID: ${id}`],
  body: xml,
});
const att = (id: string, body: string | Buffer, extra: string[] = []): { headers: string[]; body: string | Buffer } => ({
  headers: ['Content-Type: application/octet-stream', 'Content-Transfer-Encoding: binary', `Content-ID: ${id}`, ...extra],
  body,
});

/** 200 bytes covering every value class, deterministic. */
export const BINARY = Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 37 + 11) & 0xff));

/** Content that resembles the boundary `b0und` in every way that must NOT end the part. */
const LOOKALIKES = Buffer.concat([
  Buffer.from('--b0und not at a line start\r\n'),
  Buffer.from('\r\n--b0un'), // boundary minus its last byte
  Buffer.from('X\r\n--b0undX\r\n'), // boundary followed by a boundary character
  Buffer.from('\n--b0und x\r\n'), // padding then text, not a line end
  Buffer.from('\n--b0und-x\n'), // one dash only
  Buffer.from('\r\n--b0und\t\tz\n'),
  Buffer.from([0x0d, 0x0d, 0x0a, 0x0a, 0x2d, 0x2d, 0x00, 0xff, 0x0d]),
  Buffer.from('\n--\r\n'), // ends with CRLF: the part's own line break, kept
]);

function wrap76(text: string, eol: string): string {
  return (text.match(/.{1,76}/g) ?? []).join(eol);
}

const START = '"<root@x>"';
const CT = `multipart/related; boundary="MIMEBoundary_abc"; type="application/xop+xml"; start=${START}; start-info="application/soap+xml"`;

export const OK_VARIANTS: readonly Variant[] = [
  {
    name: 'CRLF, quoted parameters, root first',
    body: buildBody({ boundary: 'MIMEBoundary_abc', parts: [root('<root@x>'), att('<doc1@x>', 'PDF-bytes')] }),
    contentType: CT,
    open: ['cid:doc1@x'],
    expected: { ok: true, rootId: 'root@x', rootType: ROOT_TYPE, xml: XML, attachments: [['cid:doc1@x', hex('PDF-bytes')]], contentIds: ['root@x', 'doc1@x'] },
  },
  {
    name: 'bare LF, unquoted parameters in odd case and spacing, trailing semicolon',
    body: buildBody({ boundary: 'uuid:5ef8+id=1', eol: '\n', parts: [root('<root@x>'), att('<doc1@x>', 'line1\nline2')] }),
    contentType: 'Multipart/Related;  BOUNDARY = uuid:5ef8+id=1 ; TYPE=application/xop+xml; Start = <root@x> ;start-info=application/soap+xml;',
    open: ['cid:doc1@x'],
    expected: { ok: true, rootId: 'root@x', xml: XML, attachments: [['cid:doc1@x', hex('line1\nline2')]] },
  },
  {
    name: 'mixed CRLF and LF from line to line',
    body: Buffer.from(`\r\n--mix\nContent-ID: <root@x>\r\nContent-Type: application/xop+xml\n\r\n${XML}\n--mix\r\nContent-ID: <a@x>\n\nline1\r\nline2\n\r\n--mix--\n`),
    contentType: 'multipart/related; boundary=mix',
    open: ['a@x'],
    expected: { ok: true, rootId: 'root@x', rootType: 'application/xop+xml', xml: XML, attachments: [['a@x', hex('line1\r\nline2\n')]] },
  },
  {
    name: 'preamble, epilogue and transport padding',
    body: buildBody({
      boundary: 'mix',
      preamble: 'This is a multi-part message in MIME format.\r\n\r\nthe text --mix here is not a delimiter',
      padding: ' \t ',
      epilogue: 'epilogue text\r\n--mix\r\nContent-ID: <ghost@x>\r\n\r\nnot a part\r\n',
      parts: [root('<root@x>'), att('<doc1@x>', 'abc')],
    }),
    contentType: 'multipart/related; boundary=mix; start="<root@x>"',
    open: ['cid:doc1@x'],
    expected: { ok: true, xml: XML, attachments: [['cid:doc1@x', hex('abc')]], contentIds: ['root@x', 'doc1@x'] },
  },
  {
    name: 'root last, found by start',
    body: buildBody({ boundary: 'MIMEBoundary_abc', parts: [att('<doc1@x>', 'first'), att('<doc2@x>', 'second'), root('<root@x>')] }),
    contentType: CT,
    open: ['cid:doc2@x', 'cid:doc1@x'],
    expected: { ok: true, rootId: 'root@x', xml: XML, attachments: [['cid:doc2@x', hex('second')], ['cid:doc1@x', hex('first')]], contentIds: ['doc1@x', 'doc2@x', 'root@x'] },
  },
  {
    name: 'no Content-Type: boundary from the first line after blank lines',
    body: Buffer.concat([Buffer.from('\r\n\r\n'), buildBody({ boundary: 'uuid:34605f3a+id=51889', parts: [root('<http://tempuri.org/0>'), att('<http://tempuri.org/1/6385>', BINARY)] })]),
    contentType: undefined,
    open: ['cid:http://tempuri.org/1/6385'],
    expected: { ok: true, rootId: 'http://tempuri.org/0', attachments: [['cid:http://tempuri.org/1/6385', BINARY.toString('hex')]] },
  },
  {
    name: 'multipart Content-Type without boundary parameter: boundary from the body',
    body: buildBody({ boundary: 'b', eol: '\n', parts: [root('<root@x>'), att('<doc1@x>', 'z')] }),
    contentType: 'multipart/related; type="application/xop+xml"',
    open: ['doc1@x'],
    expected: { ok: true, attachments: [['doc1@x', hex('z')]] },
  },
  {
    name: 'base64 attachment with line breaks, then a binary one',
    body: buildBody({
      boundary: 'MIMEBoundary_abc',
      parts: [root('<root@x>'), { headers: ['Content-ID: <b64@x>', 'Content-Transfer-Encoding: base64'], body: wrap76(BINARY.toString('base64'), '\r\n') }, att('<bin@x>', BINARY)],
    }),
    contentType: CT,
    open: ['cid:b64@x', 'cid:bin@x'],
    expected: { ok: true, attachments: [['cid:b64@x', BINARY.toString('hex')], ['cid:bin@x', BINARY.toString('hex')]], contentIds: ['root@x', 'b64@x', 'bin@x'] },
  },
  {
    name: 'binary content holding boundary look-alikes, CR, LF and dashes',
    body: buildBody({ boundary: 'b0und', parts: [root('<root@x>'), att('<doc1@x>', LOOKALIKES), att('<doc2@x>', Buffer.concat([LOOKALIKES, BINARY]))] }),
    contentType: 'multipart/related; boundary=b0und',
    open: ['cid:doc1@x', 'cid:doc2@x'],
    expected: { ok: true, attachments: [['cid:doc1@x', LOOKALIKES.toString('hex')], ['cid:doc2@x', Buffer.concat([LOOKALIKES, BINARY]).toString('hex')]] },
  },
  {
    name: 'Content-IDs with and without brackets, hrefs URL-encoded or not',
    body: buildBody({ boundary: 'MIMEBoundary_abc', parts: [root('root@x'), att('<1.urn:uuid:abc@apache.org>', 'one'), att('2.urn:uuid:def@apache.org', 'two')] }),
    contentType: CT,
    open: ['cid:1.urn%3Auuid%3Aabc%40apache.org', '<2.urn:uuid:def@apache.org>'],
    expected: { ok: true, rootId: 'root@x', attachments: [['cid:1.urn%3Auuid%3Aabc%40apache.org', hex('one')], ['<2.urn:uuid:def@apache.org>', hex('two')]] },
  },
  {
    name: 'lower-case, folded and space-padded headers, text/xml; and a part without headers',
    body: Buffer.from(
      '--hb \r\ncontent-type: application/xop+xml;\r\n charset=UTF-8;\r\n\ttype="application/soap+xml"  \r\ncontent-id:   <root@x>  \r\n\r\n' +
        `${XML}\r\n--hb\r\nContent-ID: <doc1@x>\r\ncontent-transfer-encoding: binary\r\nContent-Type: text/xml;\r\n\r\n<a/>\r\n` +
        '--hb\r\n\r\nheaderless\r\n--hb--',
    ),
    contentType: undefined,
    open: ['cid:doc1@x'],
    expected: { ok: true, rootType: 'application/xop+xml; charset=UTF-8; type="application/soap+xml"', attachments: [['cid:doc1@x', hex('<a/>')]], contentIds: ['root@x', 'doc1@x'] },
  },
  {
    name: 'empty attachment and non-ASCII UTF-8 root',
    body: buildBody({ boundary: 'e', parts: [root('<root@x>', '<n>Zoë Brontë — 健康</n>'), att('<empty@x>', '')] }),
    contentType: 'multipart/related; boundary=e',
    open: ['empty@x'],
    expected: { ok: true, xml: '<n>Zoë Brontë — 健康</n>', attachments: [['empty@x', '']] },
  },
];

const cut = (text: string): Buffer => Buffer.from(text);

export const ERROR_VARIANTS: readonly Variant[] = [
  {
    name: 'no close delimiter, body ends inside the attachment',
    body: buildBody({ boundary: 'b', close: false, parts: [root('<root@x>'), att('<doc1@x>', 'partial data\r\n')] }),
    contentType: 'multipart/related; boundary=b',
    open: ['doc1@x'],
    expected: { ok: false, stage: 'attachment', reason: 'truncated' },
  },
  {
    name: 'body ends right after a part delimiter',
    body: Buffer.concat([buildBody({ boundary: 'b', close: false, parts: [root('<root@x>'), att('<doc1@x>', 'data')] }), cut('\r\n--b\r\n')]),
    contentType: 'multipart/related; boundary=b',
    open: ['doc1@x'],
    expected: { ok: false, stage: 'attachment', reason: 'truncated' },
  },
  {
    name: 'body ends inside the root',
    body: cut('--b\r\nContent-ID: <root@x>\r\n\r\n<s:Envelope'),
    contentType: 'multipart/related; boundary=b',
    open: [],
    expected: { ok: false, stage: 'root', reason: 'truncated' },
  },
  {
    name: 'header block over maxHeaderBytes',
    body: buildBody({ boundary: 'b', parts: [{ headers: ['Content-ID: <root@x>', `X-Padding: ${'p'.repeat(80)}`], body: XML }] }),
    contentType: 'multipart/related; boundary=b',
    open: [],
    options: { maxHeaderBytes: 64 },
    expected: { ok: false, stage: 'root', reason: 'header-too-large' },
  },
  {
    name: 'root over maxRootBytes',
    body: buildBody({ boundary: 'b', parts: [root('<root@x>')] }),
    contentType: 'multipart/related; boundary=b',
    open: [],
    options: { maxRootBytes: 50 },
    expected: { ok: false, stage: 'root', reason: 'root-too-large' },
  },
  {
    name: 'attachment before the root over maxBufferedAttachmentBytes',
    body: buildBody({ boundary: 'b', parts: [att('<doc1@x>', BINARY), root('<root@x>')] }),
    contentType: 'multipart/related; boundary=b; start="<root@x>"',
    open: [],
    options: { maxBufferedAttachmentBytes: 100 },
    expected: { ok: false, stage: 'root', reason: 'attachment-buffer-exceeded' },
  },
  {
    name: 'no Content-Type and no leading boundary line',
    body: cut('<s:Envelope/>\r\n--b\r\n'),
    contentType: undefined,
    open: [],
    expected: { ok: false, stage: 'root', reason: 'no-boundary' },
  },
  {
    name: 'boundary parameter that never occurs in the body',
    body: buildBody({ boundary: 'other', parts: [root('<root@x>')] }),
    contentType: 'multipart/related; boundary=b',
    open: [],
    expected: { ok: false, stage: 'root', reason: 'no-boundary' },
  },
  {
    name: 'start parameter naming no part',
    body: buildBody({ boundary: 'b', parts: [root('<root@x>')] }),
    contentType: 'multipart/related; boundary=b; start="<elsewhere@x>"',
    open: [],
    expected: { ok: false, stage: 'root', reason: 'no-root' },
  },
  {
    name: 'base64 attachment that is not base64',
    body: buildBody({ boundary: 'b', parts: [root('<root@x>'), { headers: ['Content-ID: <d@x>', 'Content-Transfer-Encoding: BASE64'], body: 'QUJD\r\n*not base64*' }] }),
    contentType: 'multipart/related; boundary=b',
    open: ['d@x'],
    expected: { ok: false, stage: 'attachment', reason: 'bad-base64' },
  },
  {
    name: 'xop:Include naming no part',
    body: buildBody({ boundary: 'b', parts: [root('<root@x>'), att('<doc1@x>', 'x')] }),
    contentType: 'multipart/related; boundary=b',
    open: ['cid:missing@x'],
    expected: { ok: false, stage: 'attachment', reason: 'unknown-cid' },
  },
  {
    name: 'quoted-printable attachment',
    body: buildBody({ boundary: 'b', parts: [root('<root@x>'), { headers: ['Content-ID: <q@x>', 'Content-Transfer-Encoding: quoted-printable'], body: 'a=3Db' }] }),
    contentType: 'multipart/related; boundary=b',
    open: ['q@x'],
    expected: { ok: false, stage: 'attachment', reason: 'unsupported-encoding' },
  },
];
