/**
 * The typed content of an IHE XUA assertion (ITI TF-2 3.40.4.1.2). Values come from the caller the facade has
 * authenticated, never from request headers: the assertion vouches for them with our signature.
 */

/** An HL7 v3 CE value (code, codeSystem OID, displayName) as carried by Role and PurposeOfUse. */
export interface XuaCode {
  readonly code: string;
  /** The code system: an OID (bare or `urn:oid:`), or a FHIR system URI known to mappings/code-systems.json. */
  readonly system: string;
  readonly display?: string;
}

/** Who the request is made for: the attributes every outbound ITI-38 / ITI-39 / RAD-75 assertion carries. */
export interface XuaSubject {
  /** Subject/NameID: the caller's stable user identifier. */
  readonly nameId: string;
  /** XSPA subject-id: the user's name in plain text. */
  readonly subjectName: string;
  /** XSPA organization: the user's organisation name. */
  readonly organization: string;
  /** XSPA organization-id: the NHS ODS code of the user's organisation. */
  readonly organizationId: string;
  /** urn:ihe:iti:xca:2010:homeCommunityId: our own (initiating) community, `urn:oid:` form. */
  readonly homeCommunityId: string;
  /** XACML subject:role as an hl7:CE Role. */
  readonly role: XuaCode;
  /** XSPA purposeofuse as an hl7:CE PurposeOfUse. */
  readonly purposeOfUse: XuaCode;
}

/** The signing material: PEM private key and the PEM certificate published in KeyInfo. */
export interface XuaSigner {
  readonly keyPem: string;
  readonly certPem: string;
}

/** Options of buildSignedAssertion. */
export interface XuaAssertionOptions {
  /** saml2:Issuer; defaults to the signing certificate's subject (Format X509SubjectName). */
  readonly issuer?: string;
  /** Conditions/AudienceRestriction/Audience, e.g. the responding gateway's endpoint or homeCommunityId. */
  readonly audience?: string;
  /** The issue instant (tests pin it); defaults to the current time. */
  readonly now?: Date;
  /** Conditions NotOnOrAfter - NotBefore; defaults to the table's assertionValiditySeconds. */
  readonly validitySeconds?: number;
}

/** What an assertion says, as read back from (signed) XML. Subject fields a sender left out are absent. */
export interface XuaAssertionContent {
  readonly id: string;
  readonly issuer: string | undefined;
  readonly issueInstant: string | undefined;
  readonly notBefore: string | undefined;
  readonly notOnOrAfter: string | undefined;
  readonly audiences: readonly string[];
  readonly subject: Partial<XuaSubject>;
}
