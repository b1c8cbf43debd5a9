import { ClassType, Field, InputType, Int, ObjectType } from 'type-graphql';
import { badUserInput } from '../errors/domain-error.js';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

@ObjectType({ description: 'Relay page information' })
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

export interface Edge<Node> {
  node: Node;
  cursor: string;
}

export interface Connection<Node> {
  edges: Edge<Node>[];
  pageInfo: PageInfo;
  /** Lazy: the count query runs only when a client selects totalCount. */
  totalCount: PromiseLike<number>;
}

/** Builds `<Name>Edge` and `<Name>Connection` object types for a node type. */
export function ConnectionType<Node extends object>(name: string, nodeType: ClassType<Node>) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => nodeType) node!: Node;
    @Field(() => String) cursor!: string;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionClass {
    @Field(() => [EdgeType]) edges!: EdgeType[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    @Field(() => Int, { description: 'All items matching the filter, across pages' })
    totalCount!: number;
  }
  return ConnectionClass;
}

@InputType({ description: 'Forward pagination' })
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Page size, at most ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})` })
  first?: number | null;
  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page' })
  after?: string | null;
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, { argument: 'first', max: MAX_PAGE_SIZE });
  }
  return first;
}

/** Opaque cursors: base64url of a JSON tuple of the sort key values. */
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined, arity: number): unknown[] | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(values) && values.length === arity) return values;
  } catch {
    // fall through
  }
  throw badUserInput('after is not a cursor this API returned', { argument: 'after' });
}

/** Turns `limit + 1` fetched rows into a connection page. */
export function toConnection<Row>(
  rows: Row[],
  limit: number,
  cursorOf: (row: Row) => string,
  totalCount: () => Promise<number>,
  hasPreviousPage: boolean,
): Connection<Row> {
  const page = rows.slice(0, limit);
  const edges = page.map((node) => ({ node, cursor: cursorOf(node) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: lazy(totalCount),
  };
}

/** A thenable that starts its work only when awaited (GraphQL awaits a field only if it was selected). */
function lazy<T>(load: () => Promise<T>): PromiseLike<T> {
  let started: Promise<T> | undefined;
  return {
    then(onFulfilled, onRejected) {
      started ??= load();
      return started.then(onFulfilled, onRejected);
    },
  };
}
