/**
 * Request counters of one sandbox gateway, served as JSON at GET /_sandbox/stats so tests in other processes
 * can count the upstream calls the facade made (cache hits, fan-out, retries). No patient identifiers are kept.
 */
export type SandboxTransaction = 'iti38' | 'iti39' | 'rad75';

export interface SandboxStats {
  /** POSTs to /xca/iti38 (every one, answered or faulted). */
  readonly iti38: number;
  /** POSTs to /xca/iti39. */
  readonly iti39: number;
  /** POSTs to /xca/rad75. */
  readonly rad75: number;
  /** ITI-38 requests per stored query name (FindDocuments, GetDocuments, ...); `unknown` for unknown query ids. */
  readonly byStoredQuery: Readonly<Record<string, number>>;
  /** Requests answered with a SOAP Fault. */
  readonly soapFaults: number;
  /** ITI-38 requests answered Failure with a RegistryError. */
  readonly registryErrors: number;
  /** Documents served by ITI-39 (DocumentResponses, i.e. MTOM attachments). */
  readonly iti39Documents: number;
  /** DICOM instances served by RAD-75. */
  readonly rad75Documents: number;
  /** ITI-39 / RAD-75 DocumentRequests answered with a RegistryError instead of a document. */
  readonly retrieveErrors: number;
  /** Secured gateway: SOAP requests whose wsse:Security header verified (ITI TF-2 3.40, X-Service Provider). */
  readonly securityAccepted: number;
  /** Secured gateway: SOAP requests refused with a WS-Security fault (also counted in soapFaults). */
  readonly securityRefusals: number;
  /** Secured gateway: TLS handshakes that failed (no client certificate, an untrusted one, ...): nothing was served. */
  readonly tlsHandshakeFailures: number;
}

type Counters = { -readonly [K in keyof SandboxStats]: SandboxStats[K] extends number ? number : Record<string, number> };

/** The mutable counters behind SandboxStats; one per gateway. */
export class StatsRecorder {
  private counters: Counters;

  /** `storedQueryNames` are listed with 0 from the start, so a consumer sees every key. */
  constructor(private readonly storedQueryNames: readonly string[]) {
    this.counters = this.zero();
  }

  private zero(): Counters {
    const byStoredQuery = Object.fromEntries([...this.storedQueryNames, 'unknown'].map((n) => [n, 0]));
    return {
      iti38: 0, iti39: 0, rad75: 0, byStoredQuery, soapFaults: 0, registryErrors: 0, iti39Documents: 0, rad75Documents: 0, retrieveErrors: 0,
      securityAccepted: 0, securityRefusals: 0, tlsHandshakeFailures: 0,
    };
  }

  transaction(t: SandboxTransaction): void {
    this.counters[t] += 1;
  }

  storedQuery(name: string): void {
    this.counters.byStoredQuery[name] = (this.counters.byStoredQuery[name] ?? 0) + 1;
  }

  fault(): void {
    this.counters.soapFaults += 1;
  }

  registryError(): void {
    this.counters.registryErrors += 1;
  }

  /** A retrieve answered: `documents` served, `errors` DocumentRequests refused. */
  retrieved(t: 'iti39' | 'rad75', documents: number, errors: number): void {
    this.counters[t === 'iti39' ? 'iti39Documents' : 'rad75Documents'] += documents;
    this.counters.retrieveErrors += errors;
  }

  /** A wsse:Security header verified (true) or refused (false). */
  security(accepted: boolean): void {
    this.counters[accepted ? 'securityAccepted' : 'securityRefusals'] += 1;
  }

  tlsHandshakeFailure(): void {
    this.counters.tlsHandshakeFailures += 1;
  }

  snapshot(): SandboxStats {
    return { ...this.counters, byStoredQuery: { ...this.counters.byStoredQuery } };
  }

  reset(): void {
    this.counters = this.zero();
  }
}
