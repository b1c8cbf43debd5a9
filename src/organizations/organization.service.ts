import { generateApiKey } from '../auth/api-key.service.js';
import { organizationOf, type Credential } from '../auth/credential.js';
import type { Database } from '../database/database.js';
import { requireTimeZone } from '../conversations/time-zone.js';
import { badUserInput, DomainError, ErrorCode, notFound } from '../errors/domain-error.js';
import type { ApiKeyScope, OrganizationStatus, ValuePrecedence } from '../generated/prisma/enums.js';
import type { Prisma } from '../generated/prisma/client.js';
import { decodeCursor, encodeCursor, pageSize, toConnection } from '../graphql/connection.js';
import { lockValuePrecedence, refreshEffectiveValues } from './value-precedence.store.js';

const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/** Organizations and their API keys: platform admins manage all, an organization manages its own keys. */
export class OrganizationService {
  constructor(private readonly database: Database) {}

  async list(first: number | null | undefined, after: string | null | undefined) {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 2) as [string, string] | undefined;
    const where: Prisma.OrganizationWhereInput = cursor
      ? { OR: [{ createdAt: { gt: new Date(cursor[0]) } }, { createdAt: new Date(cursor[0]), id: { gt: cursor[1] } }] }
      : {};
    const rows = await this.database.platform.organization.findMany({
      where,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: limit + 1,
    });
    return toConnection(
      rows,
      limit,
      (row) => encodeCursor([row.createdAt.toISOString(), row.id]),
      () => this.database.platform.organization.count(),
      cursor !== undefined,
    );
  }

  /** The caller's organization, or (admins) any organization; another's answers NOT_FOUND. */
  async get(credential: Credential, id?: string | null) {
    const own = organizationOf(credential);
    const target = id ?? own;
    if (!target) throw badUserInput('id is required for admin credentials');
    if (credential.kind !== 'ADMIN' && target !== own) throw notFound('Organization');
    const organization = await this.database.platform.organization.findUnique({ where: { id: target } });
    if (!organization) throw notFound('Organization');
    return organization;
  }

  async create(input: { name: string; timeZone?: string | null; metaData?: unknown; valuePrecedence?: ValuePrecedence | null }) {
    return this.database.platform.organization.create({
      data: {
        name: requireName(input.name),
        timeZone: requireTimeZone(input.timeZone, 'timeZone') ?? null,
        metaData: toJson(input.metaData),
        ...(input.valuePrecedence != null ? { valuePrecedence: input.valuePrecedence } : {}),
      },
    });
  }

  /**
   * A new value precedence changes what the organization's conversations show at the top level:
   * the organization and those conversations are rewritten in one transaction.
   */
  async update(id: string, input: { name?: string | null; status?: OrganizationStatus | null; timeZone?: string | null; metaData?: unknown; valuePrecedence?: ValuePrecedence | null }) {
    const timeZone = requireTimeZone(input.timeZone, 'timeZone');
    await this.requireExists(id);
    const data = {
      ...(input.name != null ? { name: requireName(input.name) } : {}),
      ...(input.status != null ? { status: input.status } : {}),
      ...(timeZone !== undefined ? { timeZone } : {}),
      ...(input.metaData !== undefined ? { metaData: toJson(input.metaData) } : {}),
      ...(input.valuePrecedence != null ? { valuePrecedence: input.valuePrecedence } : {}),
    };
    if (input.valuePrecedence == null) return this.database.platform.organization.update({ where: { id }, data });
    return this.database.forOrganization(id).transaction(
      async (tx) => {
        const before = await lockValuePrecedence(tx);
        const updated = await tx.db.organization.update({ where: { id }, data });
        if (before !== input.valuePrecedence) await refreshEffectiveValues(tx);
        return updated;
      },
      { timeoutMs: 120_000 },
    );
  }

  async setStatus(id: string, status: OrganizationStatus) {
    await this.requireExists(id);
    return this.database.platform.organization.update({ where: { id }, data: { status } });
  }

  async createApiKey(
    credential: Credential,
    input: { organizationId?: string | null; name: string; scopes: ApiKeyScope[]; expiresAt?: Date | null },
  ) {
    const organizationId = this.targetOrganization(credential, input.organizationId);
    await this.requireExists(organizationId);
    if (input.scopes.length === 0) throw badUserInput('scopes must name at least one of READ, INGEST, MANAGE');
    // A key cannot mint a key stronger than itself (members and admins speak for the organization).
    if (credential.kind === 'API_KEY') {
      const beyond = input.scopes.filter((scope) => !credential.scopes.includes(scope));
      if (beyond.length > 0) {
        throw new DomainError(ErrorCode.FORBIDDEN, `An API key can only grant scopes it holds; this one lacks ${beyond.join(', ')}`, { scopes: beyond });
      }
    }
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw badUserInput('expiresAt must be in the future');
    const { secret, prefix, hash } = generateApiKey();
    const apiKey = await this.database.platform.apiKey.create({
      data: {
        organizationId,
        name: requireName(input.name),
        keyPrefix: prefix,
        keyHash: hash,
        scopes: [...new Set(input.scopes)],
        expiresAt: input.expiresAt ?? null,
      },
    });
    return { apiKey, secret };
  }

  async revokeApiKey(credential: Credential, id: string) {
    const key = isUuid(id) ? await this.database.platform.apiKey.findUnique({ where: { id } }) : null;
    if (!key || (credential.kind !== 'ADMIN' && key.organizationId !== organizationOf(credential))) throw notFound('API key');
    if (key.revokedAt) return key;
    return this.database.platform.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
  }

  async listApiKeys(organizationId: string) {
    return this.database.platform.apiKey.findMany({ where: { organizationId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  async apiKey(id: string) {
    return this.database.platform.apiKey.findUnique({ where: { id } });
  }

  private targetOrganization(credential: Credential, requested: string | null | undefined): string {
    if (credential.kind === 'ADMIN') {
      if (!requested) throw badUserInput('organizationId is required for admin credentials');
      return requested;
    }
    const own = organizationOf(credential);
    if (!own) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Authentication required');
    if (requested && requested !== own) throw notFound('Organization');
    return own;
  }

  private async requireExists(id: string) {
    const organization = await this.database.platform.organization.findUnique({ where: { id } });
    if (!organization) throw notFound('Organization');
    return organization;
  }
}

function requireName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 200) throw badUserInput('name must be 1 to 200 characters');
  return trimmed;
}

function toJson(value: unknown): Prisma.InputJsonValue | undefined {
  return value === undefined || value === null ? undefined : (value as Prisma.InputJsonValue);
}
