import type { Logger } from '../logging/logger.js';

/** How long past the shutdown timeout a stuck shutdown may take before the process is exited anyway. */
const BACKSTOP_GRACE_MS = 5_000;

/**
 * The process's one owner of SIGTERM/SIGINT: runs `stop` once and exits 0 when it finished (1 when
 * it failed or overran its timeout). Repeated signals are ignored — a terminal's Ctrl-C reaches
 * both `npm` and this process, and npm forwards its own copy.
 */
export function exitOnTerminationSignals(logger: Logger, stop: () => Promise<void>, timeoutMs: number): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.info({ signal }, 'already shutting down');
      return;
    }
    stopping = true;
    logger.info({ signal, timeoutMs }, 'shutting down');
    const backstop = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown did not finish in time; exiting');
      process.exit(1);
    }, timeoutMs + BACKSTOP_GRACE_MS);
    backstop.unref();
    stop().then(
      () => {
        logger.info('shut down');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
