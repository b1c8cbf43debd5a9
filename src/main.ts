/**
 * The one entry point: `node dist/main.js [serve|worker|migrate]` (built) or
 * `node --import tsx src/main.ts …` (from source, what `npm start`, `npm run worker` and
 * `npm run db:migrate` run).
 */
import { migrateCommand } from './cli/migrate-command.js';
import { serveCommand } from './cli/serve-command.js';
import { workerCommand } from './cli/worker-command.js';

const commands: Record<string, () => Promise<void>> = { serve: serveCommand, worker: workerCommand, migrate: migrateCommand };
const name = process.argv[2] ?? 'serve';
const command = commands[name];
if (!command) {
  console.error(`unknown command "${name}"; usage: main.js [${Object.keys(commands).join('|')}]`);
  process.exit(2);
}
await command();
