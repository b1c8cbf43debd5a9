import type { AuthChecker } from 'type-graphql';
import { scopesOf, type Scope } from '../auth/credential.js';
import { DomainError, ErrorCode } from '../errors/domain-error.js';
import type { GraphQLContext } from './context.js';

/** Roles used with @Authorized: an organization scope, or ADMIN for platform admins. */
export type Role = Scope | 'ADMIN';

/**
 * One coarse check per field: anonymous → UNAUTHENTICATED; a credential without the role →
 * FORBIDDEN. Which organization's data is reachable is decided by the tenant scope, not here.
 */
export const authChecker: AuthChecker<GraphQLContext, Role> = ({ context }, roles) => {
  const { credential } = context;
  if (credential.kind === 'ANONYMOUS') throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Authentication required');
  if (roles.length === 0) return true;
  const granted = credential.kind === 'ADMIN' ? ['ADMIN'] : scopesOf(credential);
  if (roles.some((role) => granted.includes(role))) return true;
  throw new DomainError(ErrorCode.FORBIDDEN, `This operation needs one of: ${roles.join(', ')}`);
};
