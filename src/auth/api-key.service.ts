import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PlatformDb } from '../database/database.js';
import type { Credential } from './credential.js';

const KEY_PREFIX = 'alma_';
/** How stale `last_used` may get: a key is written back at most once per interval, not per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A new key: `alma_` + 32 random bytes (base64url). Only its hash and visible prefix are stored. */
export function generateApiKey(): { secret: string; prefix: string; hash: string } {
  const secret = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { secret, prefix: secret.slice(0, KEY_PREFIX.length + 8), hash: hashApiKey(secret) };
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(KEY_PREFIX) && token.length > KEY_PREFIX.length + 20 && token.length < 200;
}

/** Verifies API keys and keeps `last_used` fresh without a write per request. */
export class ApiKeyVerifier {
  private readonly lastWritten = new Map<string, number>();

  constructor(
    private readonly platform: PlatformDb,
    private readonly onBackgroundError: (error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** The credential for a key, or undefined when it is unknown, revoked, expired or its organization inactive. */
  async verify(secret: string): Promise<Credential | undefined> {
    const hash = hashApiKey(secret);
    const key = await this.platform.apiKey.findUnique({ where: { keyHash: hash }, include: { organization: true } });
    if (!key) return undefined;
    // The index lookup already matched; compare again in constant time so timing never depends on the secret.
    if (!timingSafeEqual(Buffer.from(key.keyHash, 'hex'), Buffer.from(hash, 'hex'))) return undefined;
    if (key.revokedAt || (key.expiresAt && key.expiresAt.getTime() <= this.now())) return undefined;
    if (key.organization.status !== 'ACTIVE') return undefined;
    this.touch(key.id);
    return { kind: 'API_KEY', keyId: key.id, organizationId: key.organizationId, scopes: key.scopes };
  }

  private touch(keyId: string): void {
    const now = this.now();
    const last = this.lastWritten.get(keyId) ?? 0;
    if (now - last < LAST_USED_RESOLUTION_MS) return;
    this.lastWritten.set(keyId, now);
    this.platform.apiKey
      .update({ where: { id: keyId }, data: { lastUsed: new Date(now) } })
      .catch((error: unknown) => {
        this.lastWritten.delete(keyId); // try again on the next request
        this.onBackgroundError(error);
      });
  }
}
