/**
 * `npm run db:migration:create -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql
 * with the SQL that brings the existing migrations up to prisma/schema.prisma. Review the file
 * (and hand-edit it for data moves) before committing it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultMigrationsDir } from '../src/database/migrator.js';
import { diffMigrationsToSchema } from './prisma-schema-engine.js';

const name = (process.argv[2] ?? '').trim();
if (!/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration:create -- <snake_case_name>');
  process.exit(2);
}
const script = await diffMigrationsToSchema();
if (script === '') {
  console.log('prisma/schema.prisma and prisma/migrations already agree: no migration needed.');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
const directory = path.join(defaultMigrationsDir, `${stamp}_${name}`);
await mkdir(directory, { recursive: true });
await writeFile(path.join(directory, 'migration.sql'), script);
console.log(`wrote ${path.relative(process.cwd(), directory)}/migration.sql`);
