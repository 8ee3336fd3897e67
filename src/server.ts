import { ConfigError } from './config/config';
import { MappingTableError } from './mappings/load';
import { CertificateError } from './security/pki/certificate-check';
import { startService, type RunningService } from './service';

/** Entry point: start the service; a configuration problem stops startup with one clear message. */
async function main(): Promise<void> {
  // SIGHUP: certificate rotation without a restart. Listened for before startup, since Node's default for SIGHUP is
  // to exit: a reload asked for while starting is ignored (startup reads the files anyway). A rotation that cannot
  // be used changes nothing and is logged by the service.
  let started: RunningService | undefined;
  process.on('SIGHUP', () => {
    started?.reloadCredentials().catch(() => undefined);
  });
  const service = await startService();
  started = service;
  const stop = (): void => {
    // SIGTERM: stop accepting, let in-flight requests finish within the grace period, close Redis and the pools.
    service.close(service.config.resilience.shutdownGraceMs).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  const known = err instanceof ConfigError || err instanceof MappingTableError || err instanceof CertificateError;
  process.stderr.write(`mhd-xca-facade: startup failed: ${known ? err.message : String(err instanceof Error ? err.stack : err)}\n`);
  process.exit(1);
});
