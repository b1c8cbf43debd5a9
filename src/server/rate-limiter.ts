import type http from 'node:http';
import type { Credential } from '../auth/credential.js';

/** What a budget says about one key; the numbers feed the RateLimit-* and Retry-After headers. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Budget per minute (0: unlimited). */
  limit: number;
  /** Whole tokens left after this decision. */
  remaining: number;
  /** Seconds until the budget is full again. */
  resetSeconds: number;
  /** Seconds until the next token, when refused (at least 1). */
  retryAfterSeconds: number;
}

const DEFAULT_MAX_KEYS = 100_000;

/**
 * Token bucket per key: `perMinute` tokens a minute, bursting up to the same number. Memory is
 * bounded: past `maxKeys` keys the least recently used are forgotten (which only forgives them).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = DEFAULT_MAX_KEYS,
  ) {}

  /** Spends one token when there is one. */
  take(key: string): RateLimitDecision {
    return this.decide(key, true);
  }

  /** Whether a token is there, spending none (a budget charged only on failure). */
  peek(key: string): RateLimitDecision {
    return this.decide(key, false);
  }

  private decide(key: string, spend: boolean): RateLimitDecision {
    if (this.perMinute <= 0) return { allowed: true, limit: 0, remaining: 0, resetSeconds: 0, retryAfterSeconds: 0 };
    const now = this.now();
    const tokensPerMs = this.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, updatedAt: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.updatedAt) * tokensPerMs);
    bucket.updatedAt = now;
    const allowed = bucket.tokens >= 1;
    if (allowed && spend) bucket.tokens -= 1;
    // Re-inserted so that iteration order is least recently used first.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    for (const oldest of this.buckets.keys()) {
      if (this.buckets.size <= this.maxKeys) break;
      this.buckets.delete(oldest);
    }
    return {
      allowed,
      limit: this.perMinute,
      remaining: Math.floor(bucket.tokens),
      resetSeconds: Math.ceil((this.perMinute - bucket.tokens) / tokensPerMs / 1000),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - bucket.tokens) / tokensPerMs / 1000)),
    };
  }
}

/**
 * The client's address: the socket's peer, or with `trustedHops` proxies in front, the entry of
 * X-Forwarded-For that the outermost trusted proxy saw (entries left of it are the client's say).
 */
export function clientAddress(request: http.IncomingMessage, trustedHops: number): string {
  const peer = request.socket.remoteAddress ?? 'unknown';
  if (trustedHops === 0) return peer;
  const header = request.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return forwarded[forwarded.length - trustedHops] ?? forwarded[0] ?? peer;
}

/**
 * The budget key of an address: IPv4 as it is, IPv6 by its /64 (one host usually holds a whole
 * /64, so single addresses would be free for it to rotate through).
 */
export function addressBudgetKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::', 2);
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = address.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const groups = address.includes('::') ? [...headGroups, ...Array<string>(Math.max(0, 8 - headGroups.length - tailGroups.length)).fill('0'), ...tailGroups] : headGroups;
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** One budget per API key, per user of an organization, per admin, or per address when anonymous. */
export function rateLimitKey(credential: Credential, address: string): string {
  switch (credential.kind) {
    case 'API_KEY':
      return `key:${credential.keyId}`;
    case 'MEMBER':
      return `member:${credential.organizationId}:${credential.subject}`;
    case 'ADMIN':
      return `admin:${credential.subject}`;
    case 'ANONYMOUS':
      return `address:${addressBudgetKey(address)}`;
  }
}
