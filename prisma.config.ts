// Prisma CLI configuration. The application applies migrations itself (src/database/migrator.ts);
// the CLI is used for `prisma generate` only. DATABASE_URL is read from process.env directly
// because `env()` throws when it is unset, which is the embedded-database default.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/unused' },
});
