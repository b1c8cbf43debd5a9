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
    const credential = await this.authenticate(address, request.headers, (budget, message) => refuse(response, budget, message));
    const telemetry = currentRequest();
    if (telemetry) telemetry.organizationId = organizationOf(credential);
    const decision = this.options.requests.take(rateLimitKey(credential, address));
    setRateLimitHeaders(response, decision);
    if (!decision.allowed) throw refuse(response, decision, 'Too many requests; slow down and retry in a few seconds');
    return credential;
  }

  /**
   * A WebSocket connection's credential, from its `connection_init` payload (`x-api-key` or
   * `Authorization`), under the same failed-authentication budget as requests.
   */
  async admitConnection(request: http.IncomingMessage, credentials: http.IncomingHttpHeaders): Promise<Credential> {
    const address = clientAddress(request, this.options.trustProxyHops);
    return this.authenticate(address, credentials, (budget, message) => rateLimited(budget, message));
  }

  /** One operation over a WebSocket connection spends one request of its credential's budget. */
  admitOperation(request: http.IncomingMessage, credential: Credential): void {
    const decision = this.options.requests.take(rateLimitKey(credential, clientAddress(request, this.options.trustProxyHops)));
    if (!decision.allowed) throw rateLimited(decision, 'Too many requests; slow down and retry in a few seconds');
  }

  private async authenticate(
    address: string,
    headers: http.IncomingHttpHeaders,
    refusal: (budget: RateLimitDecision, message: string) => DomainError,
  ): Promise<Credential> {
    const failureKey = `auth-failures:${addressBudgetKey(address)}`;
    const presentsCredential = headers.authorization !== undefined || headers['x-api-key'] !== undefined;
    if (presentsCredential) {
      const budget = this.options.authFailures.peek(failureKey);
      if (!budget.allowed) throw refusal(budget, 'Too many failed authentications from this address; retry later');
    }
    try {
      return await this.options.authenticator.authenticate(headers);
    } catch (error) {
      if (error instanceof DomainError && error.code === ErrorCode.UNAUTHENTICATED) this.options.authFailures.take(failureKey);
      throw error;
    }
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
  return rateLimited(decision, message);
}

function rateLimited(decision: RateLimitDecision, message: string): DomainError {
  return new DomainError(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds: decision.retryAfterSeconds });
}
