import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { Auth } from './test-server.js';

export interface ClosedConnection {
  code: number;
  reason: string;
}

export interface SubscriptionResult<Data = Record<string, any>> {
  data?: Data | null;
  errors?: Array<{ message: string; extensions?: Record<string, any> }>;
}

export interface TestSubscription<Data = Record<string, any>> {
  /** Every `next` payload so far. */
  results: Array<SubscriptionResult<Data>>;
  /** Resolves once `count` results arrived (or the subscription ended with fewer: rejects). */
  received(count: number): Promise<Array<SubscriptionResult<Data>>>;
  /** Settles when the server completes the subscription or the connection closes. */
  ended: Promise<{ completed: true } | { error: unknown }>;
  unsubscribe(): void;
}

export interface TestSubscriptionClient {
  client: Client;
  /** Settles with the close event the first time the connection closes. */
  closed: Promise<ClosedConnection>;
  subscribe<Data = Record<string, any>>(query: string, variables?: Record<string, unknown>): TestSubscription<Data>;
  dispose(): Promise<void>;
}

/** The connection_init payload a graphql-ws client sends for a test credential. */
export function connectionParams(auth: Auth): Record<string, string> {
  if (!auth) return {};
  return 'token' in auth ? { Authorization: `Bearer ${auth.token}` } : { 'x-api-key': auth.apiKey };
}

/** A real graphql-ws client (ws as the WebSocket), connected at once, never retrying. */
export function connectSubscriptions(httpUrl: string, auth: Auth, options: { webSocketImpl?: typeof WebSocket } = {}): TestSubscriptionClient {
  let resolveClosed!: (closed: ClosedConnection) => void;
  const closed = new Promise<ClosedConnection>((resolve) => (resolveClosed = resolve));
  const client = createClient({
    url: `${httpUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: options.webSocketImpl ?? WebSocket,
    connectionParams: connectionParams(auth),
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
    on: { closed: (event) => resolveClosed({ code: (event as { code: number }).code, reason: String((event as { reason: unknown }).reason) }) },
  });
  return {
    client,
    closed,
    subscribe<Data = Record<string, any>>(query: string, variables?: Record<string, unknown>): TestSubscription<Data> {
      const results: Array<SubscriptionResult<Data>> = [];
      const waiters = new Set<() => void>();
      let finished = false;
      let unsubscribe: () => void = () => undefined;
      const ended = new Promise<{ completed: true } | { error: unknown }>((resolve) => {
        const finish = (outcome: { completed: true } | { error: unknown }) => {
          finished = true;
          resolve(outcome);
          for (const waiter of waiters) waiter();
        };
        const stop = client.subscribe<Data>(
          { query, variables },
          {
            next: (value) => {
              results.push(value as SubscriptionResult<Data>);
              for (const waiter of waiters) waiter();
            },
            error: (error) => finish({ error }),
            complete: () => finish({ completed: true }),
          },
        );
        unsubscribe = stop;
      });
      return {
        results,
        ended,
        unsubscribe: () => unsubscribe(),
        received: (count) =>
          new Promise<Array<SubscriptionResult<Data>>>((resolve, reject) => {
            const check = () => {
              if (results.length >= count) {
                waiters.delete(check);
                resolve(results.slice(0, count));
              } else if (finished) {
                waiters.delete(check);
                reject(new Error(`the subscription ended after ${results.length} of ${count} results: ${JSON.stringify(results)}`));
              }
            };
            waiters.add(check);
            check();
          }),
      };
    },
    dispose: () => client.dispose() as Promise<void>,
  };
}
