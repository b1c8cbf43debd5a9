import { ConfigError, loadConfig, loadDotEnv, type AppConfig } from '../config/config.js';

/** The configuration of a command: `.env` then the environment; a bad value prints what is wrong and exits 1. */
export function loadCommandConfig(): AppConfig {
  try {
    loadDotEnv();
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
