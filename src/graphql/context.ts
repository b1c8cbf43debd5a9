import type { AnalysisProvider } from '../analysis/analysis-provider.js';
import type { WebhookSettings } from '../config/config.js';
import type { Credential } from '../auth/credential.js';
import type { ConversationChangeFeed } from '../conversations/conversation-change-feed.js';
import type { Database } from '../database/database.js';
import type { TenantScope } from '../database/tenant-scope.js';
import { DomainError, ErrorCode } from '../errors/domain-error.js';
import type { Logger } from '../logging/logger.js';
import { createLoaders, type Loaders } from './loaders.js';

/** Everything one request's resolvers see; built fresh per request, never shared. */
export interface GraphQLContext {
  requestId: string;
  logger: Logger;
  credential: Credential;
  database: Database;
  /** The caller's organization's data layer (UNAUTHENTICATED / FORBIDDEN when there is none). */
  tenant(): TenantScope;
  /** DataLoaders bound to the caller's organization, created on first use. */
  loaders(): Loaders;
  /** The configured analysis provider (dry-run re-analysis runs it in the request). */
  analysisProvider: AnalysisProvider;
  /** Outbound webhook settings (URL guard). */
  webhooks: WebhookSettings;
  /** Whether nested reads go through the read planner (GRAPHQL_READ_PLANNER). */
  readPlanner: boolean;
  /** Conversation changes of this process (subscriptions over WebSocket; absent over HTTP). */
  conversationChanges?: ConversationChangeFeed;
}

export function createContext(input: {
  requestId: string;
  logger: Logger;
  credential: Credential;
  database: Database;
  analysisProvider: AnalysisProvider;
  webhooks: WebhookSettings;
  readPlanner?: boolean;
  conversationChanges?: ConversationChangeFeed;
}): GraphQLContext {
  let scope: TenantScope | undefined;
  let loaders: Loaders | undefined;
  const tenant = () => {
    if (scope) return scope;
    const { credential } = input;
    if (credential.kind === 'ANONYMOUS') throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Authentication required');
    if (!('organizationId' in credential)) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'This operation needs an organization credential (API key or member token)');
    }
    scope = input.database.forOrganization(credential.organizationId);
    return scope;
  };
  return {
    ...input,
    readPlanner: input.readPlanner ?? true,
    logger: input.logger.child({ requestId: input.requestId }),
    tenant,
    loaders: () => (loaders ??= createLoaders(tenant())),
  };
}
