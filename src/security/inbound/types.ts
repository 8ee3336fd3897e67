/**
 * The verified caller of one FHIR request, as every later step sees it: the XUA subject attributes (IHE ITI TF-2
 * 3.40.4.1.2) mapped from a bearer token or a client certificate through mappings/auth-claims.json, plus the SMART
 * scopes granted. It feeds the BALP AuditEvent (agent[user], agent[userorg]), the XUA assertion sent upstream and
 * the cache key (accessContextOf).
 */

/** A FHIR Coding with the two members that give a code its meaning, and its display when known. */
export interface CodingLike {
  readonly system: string;
  readonly code: string;
  readonly display?: string;
}

/** How the caller proved who it is. */
export type CallerVia = 'jwt' | 'client-certificate' | 'sandbox-open';

export interface Caller {
  /** XUA Subject NameID: the token's `sub`, or the certificate's subject CN. */
  readonly subject: string;
  /** XSPA subject-id: the person's (or system's) name. */
  readonly subjectName: string;
  /** XSPA organization: the organisation's name. */
  readonly organization: string;
  /** XSPA organization-id: an ODS code. */
  readonly organizationId: string;
  readonly role: CodingLike;
  readonly purposeOfUse: CodingLike;
  /** SMART scopes as granted, e.g. `user/DocumentReference.rs`. */
  readonly scopes: readonly string[];
  readonly via: CallerVia;
  /** Token issuer (`iss`): BALP records it as agent[user].who.identifier.system. */
  readonly issuer?: string;
  /** OAuth client_id of the application, or the certificate CN: BALP agent[client]. */
  readonly clientId?: string;
  /** JWT ID (`jti`): BALP agent[user].policy. */
  readonly tokenId?: string;
}

/** What a TLS server knows about the client certificate it verified (or failed to verify). */
export interface ClientCertificateInfo {
  readonly subjectCN?: string;
  /** SHA-256 fingerprint of the DER certificate, hex, colons optional (Node's `fingerprint256`). */
  readonly fingerprint256: string;
  /** True when the TLS layer verified the chain against INBOUND_CLIENT_CA. */
  readonly trusted: boolean;
  /**
   * The end of the certificate's validity (ISO 8601). The TLS layer checked it when the connection opened; a
   * kept-alive connection (or a resumed session) can outlast it, so it is checked again for every request.
   */
  readonly validTo?: string;
}

/** The credentials of one request, as the HTTP layer extracted them. */
export interface AuthenticationInput {
  /** The raw `Authorization` header value. */
  readonly authorization?: string;
  readonly clientCertificate?: ClientCertificateInfo;
}

/** Verifies the credentials of one request and returns the caller, or throws AuthError. */
export interface Authenticator {
  authenticate(input: AuthenticationInput): Promise<Caller>;
}
