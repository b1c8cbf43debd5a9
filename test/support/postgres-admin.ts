import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Creates a brand-new database on the PostgreSQL server of DATABASE_URL, for tests that need an
 * empty one (migrations); dropped afterwards.
 */
export async function withFreshPostgresDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('withFreshPostgresDatabase needs DATABASE_URL');
  const name = `alma_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    try {
      return await work(url.toString());
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}
