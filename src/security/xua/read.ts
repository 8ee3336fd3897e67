import { fieldOfAttributeName, xuaAttributes, type XuaCodedField } from './attributes';
import { XUA_NS } from './constants';
import { attrValue, childNamed, childrenNamed, textOf } from './xml-query';
import { parseXmlTree, type XmlElement } from './xml-tree';
import type { XuaAssertionContent, XuaCode, XuaSubject } from './types';

/**
 * Reads an XUA assertion back into typed content (ITI TF-2 3.40.4.1.2). It trusts nothing by itself: the verifier
 * hands it only the bytes the signature covers. Only AttributeStatements that are direct children of the Assertion
 * count (an Attribute inside SubjectConfirmationData, as in delegation samples, says nothing about the subject).
 * A multi-valued attribute gives its first value; string values are trimmed (senders pretty-print them).
 */

const saml = (parent: XmlElement, local: string): XmlElement | undefined => childNamed(parent, XUA_NS.saml2, local);

/** A CE from the first urn:hl7-org:v3 element under AttributeValue (or, failing that, AttributeValue itself). */
function readCode(value: XmlElement, element: string): XuaCode | undefined {
  const hl7 = value.children.filter((c) => c.uri === XUA_NS.hl7);
  const holder = hl7.find((c) => c.local === element) ?? hl7[0] ?? value;
  const code = attrValue(holder, 'code');
  const system = attrValue(holder, 'codeSystem');
  if (code === undefined || system === undefined) return undefined;
  const display = attrValue(holder, 'displayName');
  return display === undefined ? { code, system } : { code, system, display };
}

type SubjectDraft = { -readonly [K in keyof XuaSubject]?: XuaSubject[K] };

function readAttribute(attribute: XmlElement, draft: SubjectDraft): void {
  const field = fieldOfAttributeName(attrValue(attribute, 'Name') ?? '');
  const value = childrenNamed(attribute, XUA_NS.saml2, 'AttributeValue')[0];
  if (field === undefined || value === undefined || draft[field] !== undefined) return;
  const spec = xuaAttributes().attributes[field];
  if (spec.kind === 'hl7:CE') {
    const code = readCode(value, spec.element);
    if (code) draft[field as XuaCodedField] = code;
    return;
  }
  const text = textOf(value);
  if (text !== undefined) draft[field as Exclude<keyof SubjectDraft, XuaCodedField | 'nameId'>] = text;
}

/** The typed content of a saml2:Assertion element. */
export function readXuaAssertionElement(assertion: XmlElement): XuaAssertionContent {
  const draft: SubjectDraft = {};
  const nameId = textOf(childNamed(saml(assertion, 'Subject') ?? assertion, XUA_NS.saml2, 'NameID'));
  if (nameId !== undefined) draft.nameId = nameId;
  for (const statement of childrenNamed(assertion, XUA_NS.saml2, 'AttributeStatement')) {
    for (const attribute of childrenNamed(statement, XUA_NS.saml2, 'Attribute')) readAttribute(attribute, draft);
  }
  const conditions = saml(assertion, 'Conditions');
  const audiences = conditions
    ? childrenNamed(conditions, XUA_NS.saml2, 'AudienceRestriction').flatMap((r) => childrenNamed(r, XUA_NS.saml2, 'Audience').map((a) => textOf(a) ?? ''))
    : [];
  return {
    id: attrValue(assertion, 'ID') ?? '',
    issuer: textOf(saml(assertion, 'Issuer')),
    issueInstant: attrValue(assertion, 'IssueInstant'),
    notBefore: conditions ? attrValue(conditions, 'NotBefore') : undefined,
    notOnOrAfter: conditions ? attrValue(conditions, 'NotOnOrAfter') : undefined,
    audiences,
    subject: draft,
  };
}

/** Parse serialised XML whose root is a saml2:Assertion and read it. Throws XmlTreeError / TypeError. */
export function readXuaAssertion(assertionXml: string): XuaAssertionContent {
  const root = parseXmlTree(assertionXml);
  if (root.uri !== XUA_NS.saml2 || root.local !== 'Assertion') throw new TypeError('the XML is not a SAML 2.0 Assertion');
  return readXuaAssertionElement(root);
}

/** The names of the XuaSubject fields an assertion lacks (empty when complete). */
export function missingSubjectFields(subject: Partial<XuaSubject>): string[] {
  const fields: (keyof XuaSubject)[] = ['nameId', 'subjectName', 'organization', 'organizationId', 'homeCommunityId', 'role', 'purposeOfUse'];
  return fields.filter((field) => subject[field] === undefined);
}
