import type { IncomingHttpHeaders } from 'node:http';
import type { PlatformDb } from '../database/database.js';
import { DomainError, ErrorCode } from '../errors/domain-error.js';
import { ApiKeyVerifier, looksLikeApiKey } from './api-key.service.js';
import type { Credential } from './credential.js';
import { verifyJwt, type JwtSettings } from './jwt.service.js';

/**
 * Turns request headers into a Credential. No credential → ANONYMOUS (the schema decides what
 * that may do); a credential that is present but invalid → UNAUTHENTICATED, never silently anonymous.
 */
export class Authenticator {
  private readonly apiKeys: ApiKeyVerifier;

  constructor(
    private readonly platform: PlatformDb,
    private readonly jwtSettings: JwtSettings,
    onBackgroundError: (error: unknown) => void,
  ) {
    this.apiKeys = new ApiKeyVerifier(platform, onBackgroundError);
  }

  async authenticate(headers: IncomingHttpHeaders): Promise<Credential> {
    const apiKeyHeader = headerValue(headers['x-api-key']);
    const authorization = headerValue(headers.authorization);
    const bearer = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
    if (authorization && !bearer) throw unauthenticated('The Authorization header must be "Bearer <token>"');
    const token = apiKeyHeader ?? bearer;
    if (!token) return { kind: 'ANONYMOUS' };

    if (looksLikeApiKey(token)) {
      const credential = await this.apiKeys.verify(token);
      if (!credential) throw unauthenticated('The API key is unknown, revoked or expired, or its organization is inactive');
      return credential;
    }
    const credential = verifyJwt(token, this.jwtSettings);
    if (!credential) throw unauthenticated('The token is invalid or expired');
    if (credential.kind === 'MEMBER') {
      const organization = await this.platform.organization.findUnique({ where: { id: credential.organizationId } });
      if (!organization || organization.status !== 'ACTIVE') throw unauthenticated('The organization of this token is inactive or unknown');
    }
    return credential;
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first && first.trim() !== '' ? first.trim() : undefined;
}

const unauthenticated = (message: string) => new DomainError(ErrorCode.UNAUTHENTICATED, message);
