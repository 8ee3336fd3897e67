/**
 * Content-ID matching for XOP (W3C XOP 1.0 §4.1: xop:Include/@href is a `cid:` URL) and RFC 2387 `start`.
 *
 * RFC 2392 says a `cid:` URL is the Content-ID's addr-spec, URL-encoded, without the angle brackets of the
 * header (`Content-ID: <a@b>` ↔ `cid:a@b`). Senders disagree: Axis2 writes `cid:1.urn%3Auuid%3A...@apache.org`,
 * WCF writes `cid:http://tempuri.org/1/...` unencoded, some keep the brackets in the href or drop them from the
 * header. Both sides are therefore brought to one canonical key: no scheme, no brackets, percent-decoded.
 */

const CID_SCHEME = /^cid:/i;

/** Percent-decode when the value holds a valid escape; a malformed `%` is left as it stands. */
function percentDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The canonical key of a Content-ID header value, a `start` parameter or a `cid:` URL:
 * `<1.urn:uuid:x@apache.org>`, `1.urn:uuid:x@apache.org`, `cid:1.urn%3Auuid%3Ax@apache.org` and
 * `cid:<1.urn:uuid:x@apache.org>` all give `1.urn:uuid:x@apache.org`. Case is kept (RFC 2392: the local part
 * of a Content-ID is case-sensitive).
 */
export function normaliseContentId(value: string): string {
  let id = value.trim();
  if (CID_SCHEME.test(id)) id = id.slice(4).trim();
  if (id.startsWith('<') && id.endsWith('>')) id = id.slice(1, -1).trim();
  return percentDecode(id);
}
