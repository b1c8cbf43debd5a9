import type http from 'node:http';
import type { AppConfig } from './config/config.js';
import { openDatabase, type Database, type OpenDatabaseOptions } from './database/database.js';
import type { Logger } from './logging/logger.js';
import { createHttpServer, listen } from './server/http-server.js';

export interface RunningApp {
  database: Database;
  server: http.Server;
  port: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** An already open database (tests); the app closes it on stop. */
  database?: Database;
  databaseOptions?: OpenDatabaseOptions;
}

/** Opens the database (applying migrations) and starts the HTTP server. */
export async function startApp(config: AppConfig, logger: Logger, options: StartOptions = {}): Promise<RunningApp> {
  const database = options.database ?? (await openDatabase(config.database, logger, options.databaseOptions));
  const server = createHttpServer({ database, logger });
  let port: number;
  try {
    ({ port } = await listen(server, config.port, config.host));
  } catch (error) {
    await database.close();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    database,
    server,
    port,
    stop() {
      stopping ??= (async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await database.close();
      })();
      return stopping;
    },
  };
}
