import { oidToUrn } from '../../mappings/code-systems';
import { el, type XmlElementSpec } from '../../xca/xml/writer';
import { XUA_ATTRIBUTE_FIELDS, codeSystemName, codeSystemOid, xuaAttributes, type XuaAttributeField, type XuaCodedField } from './attributes';
import { SAML_VERSION, XUA_NS, XUA_PREFIX } from './constants';
import { XuaError } from './errors';
import { renderCompact } from './xml-compact';
import { toXsDateTime } from './xs-datetime';
import type { XuaCode, XuaSubject } from './types';

/**
 * The unsigned XUA assertion (ITI TF-2 3.40.4.1.2; SAML 2.0 Core 2.3.3 element order: Issuer, [Signature],
 * Subject, Conditions, AuthnStatement, AttributeStatement). sign.ts adds the enveloped signature after Issuer.
 */
export interface UnsignedAssertionInput {
  readonly id: string;
  readonly subject: XuaSubject;
  readonly issuer: { readonly value: string; readonly format?: string };
  readonly now: Date;
  readonly validitySeconds: number;
  readonly audience?: string;
}

const s = (local: string): string => `${XUA_PREFIX.saml2}:${local}`;

function required(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new XuaError(field, `XUA ${field} is missing or empty`);
  return value.trim();
}

/** The value of a text attribute; the homeCommunityId is always sent as a `urn:oid:` URN (ITI TF-2 3.38.4.1.2.1). */
function textValue(field: XuaAttributeField, subject: XuaSubject): string {
  const value = required(field, subject[field]);
  if (field !== 'homeCommunityId') return value;
  const urn = oidToUrn(value);
  if (urn === undefined) throw new XuaError(field, 'XUA homeCommunityId is neither an OID nor a URI');
  return urn;
}

/** An HL7 v3 CE element (Role / PurposeOfUse) with xsi:type="hl7:CE": the hl7 prefix is used by the element name. */
function codedValue(field: XuaCodedField, element: string, code: XuaCode): XmlElementSpec {
  const oid = codeSystemOid(field, required(`${field}.system`, code.system));
  return el(`${XUA_PREFIX.hl7}:${element}`, [
    [`${XUA_PREFIX.xsi}:type`, `${XUA_PREFIX.hl7}:CE`],
    ['code', required(`${field}.code`, code.code)],
    ['codeSystem', oid],
    ['codeSystemName', codeSystemName(field, oid)],
    ['displayName', code.display?.trim() || undefined],
  ]);
}

function attribute(field: XuaAttributeField, subject: XuaSubject): XmlElementSpec {
  const table = xuaAttributes();
  const spec = table.attributes[field];
  const value =
    spec.kind === 'hl7:CE' ? [codedValue(field as XuaCodedField, spec.element, subject[field as XuaCodedField])] : textValue(field, subject);
  return el(s('Attribute'), [['Name', spec.name], ['NameFormat', table.attributeNameFormat]], [el(s('AttributeValue'), [], value)]);
}

function subjectElement(subject: XuaSubject): XmlElementSpec {
  const { nameIdFormat, confirmationMethod } = xuaAttributes().subject;
  return el(s('Subject'), [], [
    el(s('NameID'), [['Format', nameIdFormat]], required('nameId', subject.nameId)),
    el(s('SubjectConfirmation'), [['Method', confirmationMethod]]),
  ]);
}

function conditions(input: UnsignedAssertionInput): XmlElementSpec {
  const notOnOrAfter = new Date(input.now.getTime() + input.validitySeconds * 1000);
  const audience = input.audience === undefined ? [] : [el(s('AudienceRestriction'), [], [el(s('Audience'), [], required('audience', input.audience))])];
  return el(s('Conditions'), [['NotBefore', toXsDateTime(input.now)], ['NotOnOrAfter', toXsDateTime(notOnOrAfter)]], audience);
}

function authnStatement(now: Date): XmlElementSpec {
  const classRef = xuaAttributes().subject.authnContextClassRef;
  return el(s('AuthnStatement'), [['AuthnInstant', toXsDateTime(now)]], [el(s('AuthnContext'), [], [el(s('AuthnContextClassRef'), [], classRef)])]);
}

/** Serialise the unsigned assertion (compact, every namespace it uses declared on the Assertion element). */
export function renderUnsignedAssertion(input: UnsignedAssertionInput): string {
  if (!Number.isFinite(input.validitySeconds) || input.validitySeconds <= 0) throw new XuaError('validitySeconds', 'XUA validity must be a positive number of seconds');
  const assertion = el(
    s('Assertion'),
    [
      [`xmlns:${XUA_PREFIX.saml2}`, XUA_NS.saml2],
      [`xmlns:${XUA_PREFIX.xsi}`, XUA_NS.xsi],
      [`xmlns:${XUA_PREFIX.hl7}`, XUA_NS.hl7],
      ['ID', input.id],
      ['IssueInstant', toXsDateTime(input.now)],
      ['Version', SAML_VERSION],
    ],
    [
      el(s('Issuer'), [['Format', input.issuer.format]], required('issuer', input.issuer.value)),
      subjectElement(input.subject),
      conditions(input),
      authnStatement(input.now),
      el(s('AttributeStatement'), [], XUA_ATTRIBUTE_FIELDS.map((field) => attribute(field, input.subject))),
    ],
  );
  return renderCompact(assertion);
}
