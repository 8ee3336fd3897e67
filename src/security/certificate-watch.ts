import fs from 'node:fs';
import type { Logger } from 'pino';
import { assertUsable, inspectCertificates, type CertificateReport } from './pki/certificate-check';

/**
 * Certificates the service depends on (TLS client chain, XUA signing certificate), checked at startup — an
 * expired or not-yet-valid certificate, a key that does not match, or a chain that does not lead to the configured
 * trust refuses startup — and again every hour for /_status, the expiry metric and a warning from 30 days out.
 * The files are read once, when the watch is made (at startup, as the TLS contexts and the XUA signer read them):
 * what is checked every hour is the material in use, not whatever has been put in the files since, which the
 * service uses only once reloaded (SIGHUP: prepare) or restarted (README: certificate rotation).
 */
export interface WatchedCertificate {
  readonly role: string;
  readonly chainFile: string;
  readonly keyFile?: string;
  readonly trustFile: string;
  readonly requiredUsages?: ReadonlyArray<'clientAuth' | 'serverAuth'>;
}

export interface CertificateStatus {
  readonly role: string;
  readonly source: string;
  readonly usable: boolean;
  readonly daysUntilExpiry: number | undefined;
  readonly notAfter: string | undefined;
  readonly problems: readonly string[];
}

export const EXPIRY_WARNING_DAYS = 30;

/**
 * A revocation list in use (read and checked at startup): it goes out of date at nextUpdate, and from then on every
 * TLS handshake it covers fails (zero trust), so it is watched like a certificate.
 */
export interface WatchedRevocationList {
  readonly role: string;
  readonly source: string;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
}

const DAY_MS = 86_400_000;

/** Usable until nextUpdate; "expires soon" in the last quarter of its life (lists live days, not years). */
function revocationListStatus(list: WatchedRevocationList, now: Date): CertificateStatus & { readonly soon: boolean } {
  const next = list.nextUpdate;
  const usable = next === undefined || next.getTime() > now.getTime();
  const soon = next !== undefined && next.getTime() - now.getTime() <= (next.getTime() - list.thisUpdate.getTime()) / 4;
  return {
    role: list.role,
    source: list.source,
    usable,
    daysUntilExpiry: next === undefined ? undefined : Math.floor(((next.getTime() - now.getTime()) / DAY_MS) * 100) / 100,
    notAfter: next?.toISOString(),
    problems: usable ? [] : [`out of date since ${next?.toISOString() ?? ''}: every TLS connection it covers is refused until a current list is in place`],
    soon,
  };
}

/** A watched certificate with the PEM texts in use. */
interface LoadedCertificate {
  readonly cert: WatchedCertificate;
  readonly chainPem: string;
  readonly keyPem: string | undefined;
  readonly trustPem: string;
}

function load(cert: WatchedCertificate): LoadedCertificate {
  const read = (file: string): string => fs.readFileSync(file, 'utf8');
  return { cert, chainPem: read(cert.chainFile), keyPem: cert.keyFile ? read(cert.keyFile) : undefined, trustPem: read(cert.trustFile) };
}

function inspect({ cert, chainPem, keyPem, trustPem }: LoadedCertificate, now: Date): CertificateReport {
  return inspectCertificates({
    role: cert.role,
    source: cert.chainFile,
    certChainPem: chainPem,
    ...(keyPem !== undefined ? { keyPem } : {}),
    trustPem,
    now,
    ...(cert.requiredUsages ? { requiredUsages: [...cert.requiredUsages] } : {}),
  });
}

function statusOf(report: CertificateReport, source: string): CertificateStatus {
  const leaf = report.certificates[0];
  return { role: report.role, source, usable: report.usable, daysUntilExpiry: report.daysUntilExpiry, notAfter: leaf?.notAfter.toISOString(), problems: report.problems };
}

export class CertificateWatch {
  private statuses: CertificateStatus[] = [];
  private timer: NodeJS.Timeout | undefined;

  private loaded: readonly LoadedCertificate[];
  private revocationLists: readonly WatchedRevocationList[];

  constructor(
    certificates: readonly WatchedCertificate[],
    private readonly logger: Logger,
    private readonly onCheck: (statuses: readonly CertificateStatus[]) => void = () => undefined,
    private readonly options: { readonly revocationLists?: readonly WatchedRevocationList[]; readonly now?: () => Date } = {},
  ) {
    this.loaded = certificates.map(load);
    this.revocationLists = options.revocationLists ?? [];
  }

  /**
   * Read `certificates` again and check them as at startup (throws CertificateError, changing nothing, when one
   * cannot be used); the function returned puts them and `revocationLists` in place of the ones watched so far.
   */
  prepare(certificates: readonly WatchedCertificate[], revocationLists: readonly WatchedRevocationList[]): () => void {
    const loaded = certificates.map(load);
    const now = this.options.now?.() ?? new Date();
    for (const one of loaded) assertUsable(inspect(one, now));
    return () => {
      this.loaded = loaded;
      this.revocationLists = revocationLists;
      this.check(false);
    };
  }

  /** Check now; `strict` (startup) throws CertificateError for an unusable certificate. */
  check(strict: boolean): readonly CertificateStatus[] {
    const now = this.options.now?.() ?? new Date();
    this.statuses = this.loaded.map((loaded) => {
      const report = inspect(loaded, now);
      if (strict) assertUsable(report);
      const status = statusOf(report, loaded.cert.chainFile);
      if (!status.usable) this.logger.error({ role: status.role, problems: status.problems }, 'certificate unusable');
      else if (status.daysUntilExpiry !== undefined && status.daysUntilExpiry <= EXPIRY_WARNING_DAYS) {
        this.logger.warn({ role: status.role, daysUntilExpiry: status.daysUntilExpiry }, 'certificate expires soon');
      }
      return status;
    });
    for (const list of this.revocationLists) {
      const { soon, ...status } = revocationListStatus(list, now);
      if (!status.usable) this.logger.error({ role: status.role, problems: status.problems }, 'revocation list out of date');
      else if (soon) this.logger.warn({ role: status.role, nextUpdate: status.notAfter }, 'revocation list goes out of date soon');
      this.statuses.push(status);
    }
    this.onCheck(this.statuses);
    return this.statuses;
  }

  /** Re-check every `intervalMs` (default hourly). */
  start(intervalMs = 3_600_000): void {
    this.timer = setInterval(() => {
      try {
        this.check(false);
      } catch (err) {
        this.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'certificate check failed');
      }
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  snapshot(): readonly CertificateStatus[] {
    return this.statuses;
  }
}
