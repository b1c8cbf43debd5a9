import type http from 'node:http';
import type { Credential } from '../auth/credential.js';

/** Token bucket per credential: `perMinute` requests a minute, bursting up to the same number. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token; false when the caller is over its limit. */
  take(key: string): boolean {
    if (this.perMinute <= 0) return true;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, updatedAt: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + ((now - bucket.updatedAt) / 60_000) * this.perMinute);
    bucket.updatedAt = now;
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket);
      return false;
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 100_000) this.buckets.clear(); // bounded memory; a reset only forgives
    return true;
  }
}

/** One budget per API key, per user of an organization, per admin, or per address when anonymous. */
export function rateLimitKey(credential: Credential, request: http.IncomingMessage): string {
  switch (credential.kind) {
    case 'API_KEY':
      return `key:${credential.keyId}`;
    case 'MEMBER':
      return `member:${credential.organizationId}:${credential.subject}`;
    case 'ADMIN':
      return `admin:${credential.subject}`;
    case 'ANONYMOUS':
      return `address:${request.socket.remoteAddress ?? 'unknown'}`;
  }
}
