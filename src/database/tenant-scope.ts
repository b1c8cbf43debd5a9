import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { DomainError, ErrorCode } from '../errors/domain-error.js';

/**
 * The tenant-scoped data layer. `forOrganization(root, orgId)` returns a Prisma client in which
 * every read and write of every model is pinned to that organization:
 *  - reads, updates, deletes and counts get `organizationId = <org>` added to their `where`
 *    (for a unique lookup too, so another organization's id answers like a missing row);
 *  - creates get `organizationId` set; a write naming another organization is refused;
 *  - nested relations need no injection: every child references its parent through a composite
 *    key that includes the organization, so a join can only reach the same organization.
 * Raw SQL goes through `TenantScope.query`, which binds the organization as `$1`.
 */

const READ_AND_FILTER_OPERATIONS = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'count',
  'aggregate',
  'groupBy',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'delete',
  'deleteMany',
  'upsert',
]);
const DATA_OPERATIONS = new Set(['create', 'update', 'updateMany', 'updateManyAndReturn']);
const CREATE_MANY_OPERATIONS = new Set(['createMany', 'createManyAndReturn']);

/** The column that names a row's organization, per model. */
function organizationField(model: string): string {
  return model === Prisma.ModelName.Organization ? 'id' : 'organizationId';
}

type Args = Record<string, unknown>;

function pinData(model: string, data: unknown, organizationId: string, isCreate: boolean): Args {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new DomainError(ErrorCode.INTERNAL_SERVER_ERROR, `Unexpected ${model} data shape`);
  }
  const field = organizationField(model);
  const record = data as Args;
  if ('organization' in record) {
    throw new DomainError(
      ErrorCode.INTERNAL_SERVER_ERROR,
      `Tenant-scoped writes set ${model}.${field} themselves; do not connect an organization`,
    );
  }
  const named = record[field];
  if (named !== undefined && named !== organizationId) {
    throw new DomainError(ErrorCode.FORBIDDEN, `A ${model} cannot be written for another organization`);
  }
  return isCreate ? { ...record, [field]: organizationId } : record;
}

export function scopedClient(root: PrismaClient, organizationId: string) {
  return root.$extends({
    name: 'tenant-scope',
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          const field = organizationField(model);
          const next: Args = { ...(args as Args) };
          if (model === Prisma.ModelName.Organization && operation.startsWith('create')) {
            throw new DomainError(ErrorCode.FORBIDDEN, 'Organizations are created by platform admins');
          }
          if (READ_AND_FILTER_OPERATIONS.has(operation)) {
            // Added with AND, never merged: a where naming another organization then matches nothing.
            const where = (next.where as Args | undefined) ?? {};
            const and = where.AND === undefined ? [] : Array.isArray(where.AND) ? where.AND : [where.AND];
            next.where = { ...where, AND: [...and, { [field]: organizationId }] };
          }
          if (DATA_OPERATIONS.has(operation) && next.data !== undefined) {
            next.data = pinData(model, next.data, organizationId, operation === 'create');
          }
          if (CREATE_MANY_OPERATIONS.has(operation)) {
            const rows = Array.isArray(next.data) ? next.data : [next.data];
            next.data = rows.map((row) => pinData(model, row, organizationId, true));
          }
          if (operation === 'upsert') {
            next.create = pinData(model, next.create, organizationId, true);
            next.update = pinData(model, next.update, organizationId, false);
          }
          return query(next as typeof args);
        },
      },
    },
  });
}

type ScopedClient = ReturnType<typeof scopedClient>;
/** Model delegates only: raw SQL and transactions go through TenantScope's own methods. */
export type TenantDb = Omit<
  ScopedClient,
  | '$queryRaw'
  | '$queryRawUnsafe'
  | '$executeRaw'
  | '$executeRawUnsafe'
  | '$transaction'
  | '$connect'
  | '$disconnect'
  | '$extends'
  | '$on'
>;

/** Runs a named (prepared, per connection) statement; PostgreSQL outside transactions only. */
export type PreparedQuery = <Row>(name: string, text: string, params: unknown[]) => Promise<Row[]>;

export class TenantScope {
  constructor(
    readonly organizationId: string,
    private readonly client: ScopedClient | Prisma.TransactionClient,
    private readonly prepared?: PreparedQuery,
  ) {}

  /** Model access pinned to this organization. */
  get db(): TenantDb {
    return this.client as TenantDb;
  }

  /**
   * Raw SQL for what Prisma can't express (aggregates, set-based inserts). The organization is
   * always bound as `$1` and the statement must use it; further parameters follow as `$2…`.
   */
  async query<Row = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<Row[]> {
    if (!/\$1(?!\d)/.test(text)) {
      throw new DomainError(ErrorCode.INTERNAL_SERVER_ERROR, 'Tenant SQL must filter by the organization ($1)');
    }
    return (this.client as Prisma.TransactionClient).$queryRawUnsafe<Row[]>(text, this.organizationId, ...params);
  }

  /**
   * `query` for statements sent many times with the same text (the read planner's, one text per
   * selection shape): named, so each connection parses and plans it once. Where statements can't
   * be named (embedded database, inside a transaction) it is `query`.
   */
  async queryNamed<Row = Record<string, unknown>>(name: string, text: string, params: unknown[] = []): Promise<Row[]> {
    if (!this.prepared) return this.query<Row>(text, params);
    if (!/\$1(?!\d)/.test(text)) {
      throw new DomainError(ErrorCode.INTERNAL_SERVER_ERROR, 'Tenant SQL must filter by the organization ($1)');
    }
    return this.prepared<Row>(name, text, [this.organizationId, ...params]);
  }

  /** Runs `work` in one transaction; everything done through the given scope commits together. */
  async transaction<T>(work: (scope: TenantScope) => Promise<T>, options?: { timeoutMs?: number }): Promise<T> {
    if (!('$transaction' in this.client)) return work(this); // already inside one
    return (this.client as ScopedClient).$transaction(
      async (tx) => work(new TenantScope(this.organizationId, tx as unknown as Prisma.TransactionClient)),
      { timeout: options?.timeoutMs ?? 15_000, maxWait: 10_000 },
    );
  }
}
