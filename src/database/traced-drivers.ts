import type { PGlite, Transaction } from '@electric-sql/pglite';
import pg from 'pg';
import { traceStatement } from '../observability/tracing.js';
import { runCancellable } from './statement-cancellation.js';

type Query = (...args: unknown[]) => unknown;
const statementText = (first: unknown) => (typeof first === 'string' ? first : (first as { text?: unknown } | null)?.text);

/**
 * The pool's client class: every statement (Prisma's, the read planner's named ones) gets an SQL
 * span when it runs inside traced work (a no-op pass-through when tracing is off), and is cancelled
 * on the server when the request it runs for is abandoned (statement-cancellation.ts).
 */
export class TracedPgClient extends pg.Client {}
const pgQuery = pg.Client.prototype.query as unknown as Query;
(TracedPgClient.prototype as unknown as { query: Query }).query = function (this: pg.Client, ...args: unknown[]) {
  return traceStatement(statementText(args[0]), args, (traced) => runCancellable(this, traced, (each) => pgQuery.apply(this, each)));
};

/** The same SQL spans on the embedded database: its `query`/`exec`, inside transactions too. */
export function traceEmbeddedStatements(pglite: PGlite): void {
  const wrap = <Target extends Pick<PGlite, 'query' | 'exec'>>(target: Target) => {
    const query = target.query.bind(target) as unknown as Query;
    const exec = target.exec.bind(target) as unknown as Query;
    (target as unknown as { query: Query }).query = (...args) => traceStatement(args[0], args, (each) => query(...each));
    (target as unknown as { exec: Query }).exec = (...args) => traceStatement(args[0], args, (each) => exec(...each));
    return target;
  };
  wrap(pglite);
  const transaction = pglite.transaction.bind(pglite);
  pglite.transaction = <T>(work: (tx: Transaction) => Promise<T>) => transaction((tx) => work(wrap(tx)));
}
