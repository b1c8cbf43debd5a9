import type http from 'node:http';
import type { Authenticator } from '../auth/authenticator.js';
import { organizationOf, type Credential } from '../auth/credential.js';
import { DomainError, ErrorCode } from '../errors/domain-error.js';
import { currentRequest } from '../observability/request-telemetry.js';
import { addressBudgetKey, clientAddress, rateLimitKey, type RateLimitDecision, type RateLimiter } from './rate-limiter.js';

export interface RequestAdmissionOptions {
  authenticator: Authenticator;
  /** Requests per credential (per address when anonymous). */
  requests: RateLimiter;
  /** Failed authentications per client address. */
  authFailures: RateLimiter;
  trustProxyHops: number;
}

/**
 * Who may send this request: authenticates it and spends one request of its credential's budget.
 * An address that keeps presenting bad credentials (unknown keys, forged or expired tokens) is
 * refused for a while before its credentials are even checked, so keys cannot be guessed at speed.
 * Every answer carries RateLimit-* headers; every refusal a Retry-After.
 */
export class RequestAdmission {
  constructor(private readonly options: RequestAdmissionOptions) {}

  async admit(request: http.IncomingMessage, response: http.ServerResponse): Promise<Credential> {
    const address = clientAddress(request, this.options.trustProxyHops);
    const failureKey = `auth-failures:${addressBudgetKey(address)}`;
    const presentsCredential = request.headers.authorization !== undefined || request.headers['x-api-key'] !== undefined;
    if (presentsCredential) {
      const budget = this.options.authFailures.peek(failureKey);
      if (!budget.allowed) {
        throw refuse(response, budget, 'Too many failed authentications from this address; retry later');
      }
    }
    let credential: Credential;
    try {
      credential = await this.options.authenticator.authenticate(request.headers);
    } catch (error) {
      if (error instanceof DomainError && error.code === ErrorCode.UNAUTHENTICATED) this.options.authFailures.take(failureKey);
      throw error;
    }
    const telemetry = currentRequest();
    if (telemetry) telemetry.organizationId = organizationOf(credential);
    const decision = this.options.requests.take(rateLimitKey(credential, address));
    setRateLimitHeaders(response, decision);
    if (!decision.allowed) throw refuse(response, decision, 'Too many requests; slow down and retry in a few seconds');
    return credential;
  }
}

/** IETF RateLimit header fields (draft 6 spelling, the one clients implement). */
function setRateLimitHeaders(response: http.ServerResponse, decision: RateLimitDecision): void {
  if (decision.limit === 0) return;
  response.setHeader('ratelimit-limit', String(decision.limit));
  response.setHeader('ratelimit-remaining', String(decision.remaining));
  response.setHeader('ratelimit-reset', String(decision.resetSeconds));
  response.setHeader('ratelimit-policy', `${decision.limit};w=60`);
}

function refuse(response: http.ServerResponse, decision: RateLimitDecision, message: string): DomainError {
  setRateLimitHeaders(response, decision);
  response.setHeader('retry-after', String(decision.retryAfterSeconds));
  return new DomainError(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds: decision.retryAfterSeconds });
}
