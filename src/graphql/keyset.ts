import { badUserInput } from '../errors/domain-error.js';
import { decodeCursor, encodeCursor, pageSize, toConnection, type Connection } from './connection.js';

/**
 * Keyset pagination over (sortField, id): stable under inserts, one indexed range scan per page.
 * `findPage` receives the extra where-clause for "after the cursor" and the limit to fetch.
 */
export async function keysetPage<Row extends { id: string }, SortValue extends Date | number | string>(options: {
  first: number | null | undefined;
  after: string | null | undefined;
  direction: 'asc' | 'desc';
  sortValue: (row: Row) => SortValue | null;
  decode: (raw: unknown) => SortValue;
  afterWhere: (value: SortValue, id: string, direction: 'asc' | 'desc') => object;
  findPage: (afterWhere: object | undefined, take: number) => Promise<Row[]>;
  count: () => Promise<number>;
}): Promise<Connection<Row>> {
  const limit = pageSize(options.first);
  const cursor = decodeCursor(options.after, 2);
  const afterWhere = cursor ? options.afterWhere(options.decode(cursor[0]), String(cursor[1]), options.direction) : undefined;
  const rows = limit === 0 ? [] : await options.findPage(afterWhere, limit + 1);
  return toConnection(
    rows,
    limit,
    (row) => {
      const value = options.sortValue(row);
      return encodeCursor([value instanceof Date ? value.toISOString() : value, row.id]);
    },
    options.count,
    cursor !== undefined,
  );
}

export const decodeDate = (raw: unknown): Date => {
  const date = new Date(String(raw));
  if (Number.isNaN(date.getTime())) throw badUserInput('after is not a cursor this API returned', { argument: 'after' });
  return date;
};

/** `(field, id) > (value, id)` (or `<` for descending) as a Prisma where. */
export function afterKey(field: string, value: unknown, id: string, direction: 'asc' | 'desc'): object {
  const op = direction === 'asc' ? 'gt' : 'lt';
  return { OR: [{ [field]: { [op]: value } }, { [field]: value, id: { [op]: id } }] };
}

/** The common case: a list in creation order, `(createdAt, id)` cursors, under an optional filter. */
export function createdAtPage<Row extends { id: string; createdAt: Date }>(options: {
  first: number | null | undefined;
  after: string | null | undefined;
  where?: object;
  findMany: (args: { where: object; orderBy: Array<Record<string, 'asc'>>; take: number }) => Promise<Row[]>;
  count: (args: { where: object }) => Promise<number>;
}): Promise<Connection<Row>> {
  const where = options.where ?? {};
  return keysetPage<Row, Date>({
    first: options.first,
    after: options.after,
    direction: 'asc',
    sortValue: (row) => row.createdAt,
    decode: decodeDate,
    afterWhere: (value, id, direction) => afterKey('createdAt', value, id, direction),
    findPage: (afterWhere, take) =>
      options.findMany({ where: afterWhere ? { AND: [where, afterWhere] } : where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take }),
    count: () => options.count({ where }),
  });
}
