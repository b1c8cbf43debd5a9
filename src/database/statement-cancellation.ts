import { AsyncLocalStorage } from 'node:async_hooks';
import net from 'node:net';
import pg from 'pg';

/**
 * Cancelling a request's PostgreSQL statements when the request is abandoned (its client closed
 * the connection before the answer): without it a search or an analytics statement runs on for up
 * to DATABASE_STATEMENT_TIMEOUT_MS, holding a pooled connection, for an answer nobody reads.
 *
 * A request's work runs inside `cancelStatementsOn(signal, …)`. The pool remembers the signal of
 * whoever checks a connection out (read when `connect` is called — synchronously in the caller's
 * async context; pg-pool's own callbacks run in other requests' contexts), and while a statement
 * of that request runs on the connection, an abort sends PostgreSQL a CancelRequest for its
 * backend. The statement fails with SQLSTATE 57014 ("canceling statement due to user request"),
 * mapped like any database error (toDomainError); the pool discards the connection. A statement
 * the request would start after the abort fails the same way without being sent.
 *
 * The embedded database can't cancel anything: PGlite runs a statement synchronously on this
 * thread, so nothing else runs until it ends.
 */
const requestSignals = new AsyncLocalStorage<AbortSignal>();

/** Runs `work` so that the PostgreSQL statements it starts are cancelled once `signal` aborts. */
export function cancelStatementsOn<T>(signal: AbortSignal, work: () => T): T {
  return requestSignals.run(signal, work);
}

const SIGNAL = Symbol('alma.requestSignal');
type BoundClient = pg.Client & { [SIGNAL]?: AbortSignal };

/** The PostgreSQL error of a cancelled statement (what the server answers to a CancelRequest). */
export function cancelledStatementError(): Error {
  return Object.assign(new Error('canceling statement due to user request'), { code: '57014', severity: 'ERROR' });
}

/**
 * The app's pool: each checked-out connection carries the signal of the request that checked it out
 * (none outside `cancelStatementsOn`). pg-pool's `query` checks out through `connect` too.
 */
export class RequestBoundPool extends pg.Pool {
  override connect(): Promise<pg.PoolClient>;
  override connect(callback: (error: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
  override connect(callback?: (error: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): Promise<pg.PoolClient> | void {
    const signal = requestSignals.getStore();
    const bind = (client: pg.PoolClient | undefined) => {
      if (client) (client as unknown as BoundClient)[SIGNAL] = signal;
    };
    if (!callback) return super.connect().then((client) => (bind(client), client));
    super.connect((error, client, done) => {
      bind(client);
      callback(error, client, done);
    });
  }
}

/**
 * Runs one statement of `client` (node-style callback last, or a promise); cancels it on the server
 * if the request that checked the connection out is abandoned meanwhile.
 */
export function runCancellable(client: pg.Client, args: unknown[], run: (args: unknown[]) => unknown): unknown {
  const signal = (client as BoundClient)[SIGNAL];
  if (!signal) return run(args);
  const last = args.at(-1);
  const callback = typeof last === 'function' ? (last as (error: unknown, ...rest: unknown[]) => unknown) : undefined;
  if (signal.aborted) {
    const error = cancelledStatementError();
    if (!callback) return Promise.reject(error);
    process.nextTick(() => callback(error));
    return undefined;
  }
  const onAbort = () => sendCancelRequest(client);
  signal.addEventListener('abort', onAbort, { once: true });
  const settled = () => signal.removeEventListener('abort', onAbort);
  if (callback) return run([...args.slice(0, -1), (error: unknown, ...rest: unknown[]) => (settled(), callback(error, ...rest))]);
  try {
    const result = run(args);
    if (result && typeof (result as { then?: unknown }).then === 'function') (result as Promise<unknown>).then(settled, settled);
    else settled();
    return result;
  } catch (error) {
    settled();
    throw error;
  }
}

const CANCEL_REQUEST_CODE = 80877102;

/**
 * PostgreSQL's CancelRequest for the backend behind `client`, on a connection of its own (no
 * authentication, no pool slot): the server cancels whatever that backend runs when it arrives —
 * here the request's statement, which is still running (the abort listener is removed when it
 * ends; a statement ending in the instant the request goes across could let it reach the next
 * statement of that connection, which then fails with 57014).
 */
function sendCancelRequest(client: pg.Client): void {
  const { processID, secretKey } = client as unknown as { processID: number | null; secretKey: number | null };
  if (processID == null || secretKey == null) return;
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  packet.writeInt32BE(processID, 8);
  packet.writeInt32BE(secretKey, 12);
  const socket = client.host?.startsWith('/') ? net.connect(`${client.host}/.s.PGSQL.${client.port}`) : net.connect(client.port, client.host);
  socket.setTimeout(5_000, () => socket.destroy());
  socket.on('error', () => socket.destroy()); // best effort: the statement timeout still bounds it
  socket.end(packet);
}
