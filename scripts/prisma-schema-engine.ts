/**
 * Prisma's schema engine, compiled to WebAssembly (@prisma/schema-engine-wasm), driven over an
 * in-memory PGlite. The Prisma CLI wants a native engine binary it downloads at install time,
 * which this offline setup can't fetch; the WebAssembly engine computes the same migration SQL.
 * Development and test tooling only: the application never loads it.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { createEmbeddedDatabase } from '../src/database/embedded-database.js';
import { applyMigrations } from '../src/database/migrator.js';
import { pgliteSession } from '../src/database/sql-session.js';
import type { Logger } from '../src/logging/logger.js';

export const schemaPath = fileURLToPath(new URL('../prisma/schema.prisma', import.meta.url));

interface WasmSchemaEngine {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
}

interface WasmSchemaEngineClass {
  new: (options: unknown, log: (message: string) => void, adapter: unknown) => Promise<WasmSchemaEngine>;
}

// The wasm-bindgen glue module holds the instance's memory views: instantiate once per process.
let engineClass: Promise<WasmSchemaEngineClass> | undefined;
function loadEngineClass(): Promise<WasmSchemaEngineClass> {
  engineClass ??= instantiateEngine();
  return engineClass;
}

async function instantiateEngine(): Promise<WasmSchemaEngineClass> {
  const require = createRequire(import.meta.url);
  const runtime = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as Record<string, unknown> & {
    __wbg_set_wasm(exports: unknown): void;
  };
  const wasmPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/\.js$/, '.wasm');
  // Node's global WebAssembly (not in the ES lib typings this project compiles against).
  const { WebAssembly: wasm } = globalThis as unknown as {
    WebAssembly: {
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
    };
  };
  const module = new wasm.Module(await readFile(wasmPath));
  const instance = new wasm.Instance(module, { './schema_engine_bg.js': runtime });
  runtime.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
  return runtime.SchemaEngine as never;
}

const silentLogger = { info() {}, debug() {}, warn() {}, error() {} } as unknown as Logger;

/**
 * The SQL that takes a database holding `prisma/migrations` to what schema.prisma describes.
 * Empty when they agree (no drift).
 */
export async function diffMigrationsToSchema(
  options: { migrationsDir?: string; schema?: string } = {},
): Promise<string> {
  const schema = options.schema ?? (await readFile(schemaPath, 'utf8'));
  const pglite = await createEmbeddedDatabase();
  try {
    await applyMigrations(pgliteSession(pglite), silentLogger, options.migrationsDir);
    const Engine = await loadEngineClass();
    const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(pglite));
    const engine = await Engine.new({ datamodels: undefined }, () => {}, adapter);
    try {
      const files = [{ path: 'schema.prisma', content: schema }];
      const result = await engine.diff({
        from: { tag: 'schemaDatasource', files, configDir: process.cwd() },
        to: { tag: 'schemaDatamodel', files },
        script: true,
        exitCode: null,
        filters: { externalTables: [], externalEnums: [] },
      });
      return normalizeScript(result.stdout ?? '');
    } finally {
      engine.free();
    }
  } finally {
    await pglite.close();
  }
}

/** Prisma prints a comment for an empty diff; treat comment-only output as empty. */
function normalizeScript(script: string): string {
  const meaningful = script
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('--'))
    .join('\n');
  return meaningful.trim() === '' ? '' : script.trim() + '\n';
}
