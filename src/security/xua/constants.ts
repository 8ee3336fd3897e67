/**
 * Wire constants of the XUA assertion: namespaces (matched by URI when reading, written with these prefixes) and
 * the XML Signature algorithms we sign with (ITI TF-2 3.40.4.1.2 delegates to SAML 2.0 Core 5 / XML-DSig: an
 * enveloped signature over the assertion's ID with exclusive canonicalisation, SAML Core 5.4.3 / 5.4.4).
 * Attribute names, code systems and defaults are data: mappings/xua-attributes.json.
 */

export const XUA_NS = {
  saml2: 'urn:oasis:names:tc:SAML:2.0:assertion',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  /** HL7 v3: the namespace of the Role and PurposeOfUse CE elements. */
  hl7: 'urn:hl7-org:v3',
} as const;

/** Prefixes we write. Every one is declared on the Assertion itself, so it survives being moved into any header. */
export const XUA_PREFIX = { saml2: 'saml2', ds: 'ds', xsi: 'xsi', hl7: 'hl7' } as const;

export const DSIG_ALGORITHMS = {
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  rsaSha512: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha512: 'http://www.w3.org/2001/04/xmlenc#sha512',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  enveloped: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
} as const;

/** saml2:Issuer Format when the issuer defaults to the signing certificate's subject (SAML Core 8.3.3). */
export const X509_SUBJECT_NAME_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName';

/** SAML 2.0 Core 2.3.3: Version of every assertion we write or accept. */
export const SAML_VERSION = '2.0';
