import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import type { AuthConfig } from '../config/config.js';
import { MEMBER_SCOPES, type Credential } from './credential.js';

const claimsSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('admin'), sub: z.string().optional(), exp: z.number() }),
  z.object({ role: z.literal('member'), sub: z.string().optional(), org: z.uuid(), exp: z.number() }),
]);

export interface JwtSettings {
  secret: string;
  issuer?: string;
  audience?: string;
}

/**
 * The JWT secret: JWT_SECRET when set; otherwise (never in production — config refuses that) a
 * generated one kept in the data directory, so development tokens survive restarts.
 */
export async function resolveJwtSettings(auth: AuthConfig, dataDir: string): Promise<JwtSettings & { generated: boolean }> {
  const base = { issuer: auth.jwtIssuer, audience: auth.jwtAudience };
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

/** Verifies HS256 tokens (algorithm pinned, `exp` required); undefined when invalid. */
export function verifyJwt(token: string, settings: JwtSettings): Credential | undefined {
  let decoded: unknown;
  try {
    decoded = jwt.verify(token, settings.secret, {
      algorithms: ['HS256'],
      issuer: settings.issuer,
      audience: settings.audience,
    });
  } catch {
    return undefined;
  }
  const claims = claimsSchema.safeParse(decoded);
  if (!claims.success) return undefined;
  const subject = claims.data.sub ?? claims.data.role;
  if (claims.data.role === 'admin') return { kind: 'ADMIN', subject };
  return { kind: 'MEMBER', subject, organizationId: claims.data.org, scopes: [...MEMBER_SCOPES] };
}

export type TokenRequest = { role: 'admin'; subject?: string } | { role: 'member'; organizationId: string; subject?: string };

export function mintJwt(request: TokenRequest, settings: JwtSettings, expiresInSeconds = 12 * 3600): string {
  const claims = request.role === 'admin' ? { role: 'admin' } : { role: 'member', org: request.organizationId };
  return jwt.sign(claims, settings.secret, {
    algorithm: 'HS256',
    expiresIn: expiresInSeconds,
    subject: request.subject ?? request.role,
    ...(settings.issuer ? { issuer: settings.issuer } : {}),
    ...(settings.audience ? { audience: settings.audience } : {}),
  });
}
