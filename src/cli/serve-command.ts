import { startApp } from '../app.js';
import { defaultTokenLifetime, mintJwt } from '../auth/jwt.service.js';
import { exitOnTerminationSignals } from '../lifecycle/termination-signals.js';
import { createLogger, describeDatabaseUrl } from '../logging/logger.js';
import { loadCommandConfig } from './command-config.js';

/** The server: GraphQL, webhooks, health checks, the dashboard, and (by default) the job worker. */
export async function serveCommand(): Promise<void> {
  const config = loadCommandConfig();
  const logger = createLogger(config.logLevel);
  try {
    const app = await startApp(config, logger);
    logger.info(
      {
        port: app.port,
        database: config.database.kind === 'postgres' ? describeDatabaseUrl(config.database.url) : config.database.dataDir,
      },
      `Alma Analytics listening on http://localhost:${app.port}`,
    );
    if (app.jwt.generated) {
      // Development convenience: no JWT_SECRET was given, so one was generated in the data directory.
      const adminToken = mintJwt({ role: 'admin', subject: 'dev-admin' }, app.jwt);
      const hours = defaultTokenLifetime('admin', app.jwt) / 3600;
      console.log(`\nDevelopment admin token (${hours} h, ADMIN_JWT_MAX_TTL):\n  ${adminToken}\nMint more: npm run token -- admin | npm run token -- member <organizationId>\n`);
    }
    exitOnTerminationSignals(logger, () => app.stop(), config.shutdownTimeoutMs);
  } catch (error) {
    logger.fatal({ err: error }, 'failed to start');
    process.exit(1);
  }
}
