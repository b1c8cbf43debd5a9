import type { ApiKeyScope } from '../generated/prisma/enums.js';

export type Scope = ApiKeyScope;

/** Who is calling, established once per request from its Authorization / x-api-key header. */
export type Credential =
  | { kind: 'ANONYMOUS' }
  | { kind: 'ADMIN'; subject: string }
  | { kind: 'MEMBER'; subject: string; organizationId: string; scopes: Scope[] }
  | { kind: 'API_KEY'; keyId: string; organizationId: string; scopes: Scope[] };

export type OrganizationCredential = Extract<Credential, { organizationId: string }>;

/** A dashboard user reads and manages their organization; ingest is for API keys. */
export const MEMBER_SCOPES: Scope[] = ['READ', 'MANAGE'];

export function organizationOf(credential: Credential): string | undefined {
  return 'organizationId' in credential ? credential.organizationId : undefined;
}

export function scopesOf(credential: Credential): Scope[] {
  return 'scopes' in credential ? credential.scopes : [];
}
