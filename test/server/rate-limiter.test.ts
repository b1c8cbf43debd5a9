import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { addressBudgetKey, clientAddress, RateLimiter } from '../../src/server/rate-limiter.js';
import { parseRequestTarget } from '../../src/server/request-target.js';

describe('RateLimiter', () => {
  it('refuses past the budget, says when to retry, and refills with time', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(6, () => now); // one token every 10 s
    for (let request = 0; request < 6; request++) expect(limiter.take('k').allowed).toBe(true);
    expect(limiter.take('k')).toEqual({ allowed: false, limit: 6, remaining: 0, resetSeconds: 60, retryAfterSeconds: 10 });
    now += 4_000;
    expect(limiter.take('k')).toMatchObject({ allowed: false, retryAfterSeconds: 6 });
    now += 6_000;
    expect(limiter.take('k')).toMatchObject({ allowed: true, remaining: 0 });
    expect(limiter.take('other')).toMatchObject({ allowed: true, remaining: 5 });
  });

  it('peek spends nothing', () => {
    const limiter = new RateLimiter(1, () => 0);
    expect(limiter.peek('k').allowed).toBe(true);
    expect(limiter.peek('k').allowed).toBe(true);
    limiter.take('k');
    expect(limiter.peek('k')).toMatchObject({ allowed: false, retryAfterSeconds: 60 });
  });

  it('forgets the least recently used keys past its size', () => {
    const limiter = new RateLimiter(1, () => 0, 2);
    limiter.take('a');
    limiter.take('b');
    limiter.take('a');
    limiter.take('c'); // evicts b, the least recently used
    expect(limiter.peek('a').allowed).toBe(false);
    expect(limiter.peek('b').allowed).toBe(true);
  });

  it('is unlimited at 0', () => {
    expect(new RateLimiter(0).take('k')).toMatchObject({ allowed: true, limit: 0 });
  });
});

describe('client addresses', () => {
  const request = (remoteAddress: string, forwarded?: string) =>
    ({ socket: { remoteAddress }, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} }) as unknown as http.IncomingMessage;

  it('uses the socket unless proxies are trusted, then the entry the outermost trusted proxy saw', () => {
    expect(clientAddress(request('10.0.0.2', '1.1.1.1'), 0)).toBe('10.0.0.2');
    expect(clientAddress(request('10.0.0.2', 'spoofed, 203.0.113.5'), 1)).toBe('203.0.113.5');
    expect(clientAddress(request('10.0.0.2', 'spoofed, 203.0.113.5, 10.0.0.9'), 2)).toBe('203.0.113.5');
    expect(clientAddress(request('10.0.0.2'), 1)).toBe('10.0.0.2');
  });

  it('budgets IPv6 by /64 and IPv4-mapped addresses as IPv4', () => {
    expect(addressBudgetKey('203.0.113.5')).toBe('203.0.113.5');
    expect(addressBudgetKey('::ffff:203.0.113.5')).toBe('203.0.113.5');
    expect(addressBudgetKey('2001:db8:1:2::5')).toBe('2001:db8:1:2::/64');
    expect(addressBudgetKey('2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(addressBudgetKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressBudgetKey('::1')).toBe('0:0:0:0::/64');
  });
});

describe('parseRequestTarget', () => {
  it('takes origin and absolute forms and refuses the rest', () => {
    expect(parseRequestTarget('/graphql?query=x')).toEqual({ pathname: '/graphql', search: '?query=x' });
    expect(parseRequestTarget('//')).toEqual({ pathname: '//', search: '' });
    expect(parseRequestTarget('http://host/healthz')).toEqual({ pathname: '/healthz', search: '' });
    for (const target of ['http://x:99999/', '*', 'example.com:443', 'ftp://x/', '', undefined]) expect(parseRequestTarget(target)).toBeUndefined();
  });
});
