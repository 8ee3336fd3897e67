import { childNamed, textOf } from '../xua/xml-query';
import { parseXsDateTime } from '../xua/xs-datetime';
import type { XmlElement } from '../xua/xml-tree';
import type { XuaAssertionContent } from '../xua/types';
import { WSS_NS } from './constants';
import { reject } from './result';

/**
 * Freshness checks with a clock skew allowance: wsu:Timestamp Created/Expires (WSS 1.0 section 10) and the
 * assertion's Conditions NotBefore/NotOnOrAfter (SAML Core 2.5.1.2). A bearer assertion without an expiry would
 * be replayable for ever, so NotOnOrAfter is required.
 */

interface Clock {
  readonly now: number;
  readonly skewMs: number;
}

function instant(value: string | undefined, what: string): number {
  const time = value === undefined ? undefined : parseXsDateTime(value);
  if (time === undefined) return reject('malformed', `${what} is missing or not a zoned xs:dateTime`);
  return time;
}

/** wsu:Timestamp of the Security header: required, Created not in the future, Expires not passed. */
export function checkTimestamp(timestamp: XmlElement | undefined, clock: Clock): void {
  if (!timestamp) return reject('no-timestamp', 'wsse:Security has no wsu:Timestamp');
  const created = instant(textOf(childNamed(timestamp, WSS_NS.wsu, 'Created')), 'wsu:Timestamp/wsu:Created');
  const expires = instant(textOf(childNamed(timestamp, WSS_NS.wsu, 'Expires')), 'wsu:Timestamp/wsu:Expires');
  if (created > clock.now + clock.skewMs) reject('not-yet-valid', 'the wsu:Timestamp was created in the future');
  if (expires <= clock.now - clock.skewMs) reject('expired-timestamp', 'the wsu:Timestamp has expired (wsu:Expires has passed)');
}

/** The assertion's validity window (read from the signed bytes). */
export function checkConditions(content: XuaAssertionContent, clock: Clock): void {
  if (content.notBefore !== undefined) {
    const notBefore = instant(content.notBefore, 'Conditions/@NotBefore');
    if (notBefore > clock.now + clock.skewMs) reject('not-yet-valid', 'the SAML assertion is not valid yet (Conditions NotBefore)');
  }
  const notOnOrAfter = instant(content.notOnOrAfter, 'Conditions/@NotOnOrAfter');
  if (notOnOrAfter <= clock.now - clock.skewMs) reject('expired-assertion', 'the SAML assertion has expired (Conditions NotOnOrAfter has passed)');
}

