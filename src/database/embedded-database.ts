import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

/**
 * The extensions the migrations create (`CREATE EXTENSION`). PGlite ships each one as a separate
 * bundle that must be handed to it when it opens, or `CREATE EXTENSION` fails and an existing
 * data directory that uses one can't be read.
 */
export const EMBEDDED_EXTENSIONS = { pg_trgm };

/**
 * Opens a PGlite database with the extensions the schema needs: in memory without `dataDir`, or
 * from a dump (`loadDataDir`). Every PGlite in the project (the app, the test template, the
 * migration tools) is opened here, so none of them lacks an extension.
 */
export async function createEmbeddedDatabase(dataDir?: string, options: { loadDataDir?: Blob | File } = {}): Promise<PGlite> {
  return PGlite.create(dataDir, { extensions: EMBEDDED_EXTENSIONS, ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}) });
}
