import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import type { AuthConfig } from '../config/config.js';
import { MEMBER_SCOPES, type Credential } from './credential.js';

const claimsSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('admin'), sub: z.string().optional(), exp: z.number(), iat: z.number() }),
  z.object({ role: z.literal('member'), sub: z.string().optional(), org: z.uuid(), exp: z.number(), iat: z.number() }),
]);

/** Longest accepted lifetime (`exp - iat`) per role, in seconds. */
export interface JwtMaxTtl {
  member: number;
  admin: number;
}

/** Members a working day and a night; admins, who can reach every organization, an hour. */
export const DEFAULT_JWT_MAX_TTL: JwtMaxTtl = { member: 24 * 3600, admin: 3600 };
/** How far in the future an `iat` may lie (clock skew between issuer and server). */
const CLOCK_SKEW_SECONDS = 60;

export interface JwtSettings {
  secret: string;
  issuer?: string;
  audience?: string;
  /** DEFAULT_JWT_MAX_TTL when absent. */
  maxTtl?: JwtMaxTtl;
}

/**
 * The JWT secret: JWT_SECRET when set; otherwise (never in production — config refuses that) a
 * generated one kept in the data directory, so development tokens survive restarts.
 */
export async function resolveJwtSettings(auth: AuthConfig, dataDir: string): Promise<JwtSettings & { generated: boolean }> {
  const base = { issuer: auth.jwtIssuer, audience: auth.jwtAudience, maxTtl: auth.jwtMaxTtl };
  if (auth.jwtSecret) return { ...base, secret: auth.jwtSecret, generated: false };
  const file = path.join(dataDir, 'jwt-secret');
  try {
    return { ...base, secret: (await readFile(file, 'utf8')).trim(), generated: true };
  } catch {
    await mkdir(dataDir, { recursive: true });
    const secret = randomBytes(48).toString('base64url');
    await writeFile(file, secret, { mode: 0o600 });
    return { ...base, secret, generated: true };
  }
}

/**
 * Verifies HS256 tokens (algorithm pinned; `exp` and `iat` required, `exp - iat` within the
 * role's maximum lifetime, `iat` not in the future); undefined when invalid.
 */
export function verifyJwt(token: string, settings: JwtSettings, now = Date.now()): Credential | undefined {
  let decoded: unknown;
  try {
    decoded = jwt.verify(token, settings.secret, {
      algorithms: ['HS256'],
      issuer: settings.issuer,
      audience: settings.audience,
      clockTimestamp: Math.floor(now / 1000),
    });
  } catch {
    return undefined;
  }
  const claims = claimsSchema.safeParse(decoded);
  if (!claims.success) return undefined;
  const { exp, iat, role } = claims.data;
  if (exp - iat > maxTtlOf(settings)[role] || iat > now / 1000 + CLOCK_SKEW_SECONDS) return undefined;
  const subject = claims.data.sub ?? claims.data.role;
  if (claims.data.role === 'admin') return { kind: 'ADMIN', subject };
  return { kind: 'MEMBER', subject, organizationId: claims.data.org, scopes: [...MEMBER_SCOPES] };
}

export type TokenRequest = { role: 'admin'; subject?: string } | { role: 'member'; organizationId: string; subject?: string };

const maxTtlOf = (settings: JwtSettings) => settings.maxTtl ?? DEFAULT_JWT_MAX_TTL;

/** The lifetime `mintJwt` gives a role when asked for none: 12 hours, or the role's maximum when shorter. */
export function defaultTokenLifetime(role: TokenRequest['role'], settings: JwtSettings): number {
  return Math.min(12 * 3600, maxTtlOf(settings)[role]);
}

/** A token the server accepts; refuses a lifetime over the role's maximum (JWT_MAX_TTL / ADMIN_JWT_MAX_TTL). */
export function mintJwt(request: TokenRequest, settings: JwtSettings, expiresInSeconds = defaultTokenLifetime(request.role, settings)): string {
  const max = maxTtlOf(settings)[request.role];
  if (!(expiresInSeconds > 0 && expiresInSeconds <= max)) {
    throw new RangeError(`A ${request.role} token may live at most ${max} s (${request.role === 'admin' ? 'ADMIN_JWT_MAX_TTL' : 'JWT_MAX_TTL'}); asked for ${expiresInSeconds} s`);
  }
  const claims = request.role === 'admin' ? { role: 'admin' } : { role: 'member', org: request.organizationId };
  return jwt.sign(claims, settings.secret, {
    algorithm: 'HS256',
    expiresIn: expiresInSeconds,
    subject: request.subject ?? request.role,
    ...(settings.issuer ? { issuer: settings.issuer } : {}),
    ...(settings.audience ? { audience: settings.audience } : {}),
  });
}
