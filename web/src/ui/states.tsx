import type { ReactNode } from 'react';
import type { ApiError } from '../api/graphql-client';
import { useSession } from '../session/session';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty" role="status">
      <p className="state-title">{title}</p>
      {children ? <p className="state-detail">{children}</p> : null}
    </div>
  );
}

/** An API error with its `extensions.code`; an expired or revoked credential offers to sign in again. */
export function ErrorState({ error, onRetry }: { error: ApiError | Error; onRetry?: () => void }) {
  const { signOut } = useSession();
  const code = 'code' in error ? (error as ApiError).code : 'CLIENT_ERROR';
  const requestId = 'requestId' in error ? (error as ApiError).requestId : undefined;
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">
        <span className="code-badge" data-testid="error-code">
          {code}
        </span>
        {titleFor(code)}
      </p>
      <p className="state-detail" data-testid="error-message">
        {error.message}
      </p>
      {requestId ? <p className="state-meta">Request id {requestId}</p> : null}
      <div className="state-actions">
        {code === 'UNAUTHENTICATED' ? (
          <button type="button" className="button button-primary" onClick={signOut}>
            Sign in again
          </button>
        ) : onRetry ? (
          <button type="button" className="button" onClick={onRetry}>
            Try again
          </button>
        ) : null}
      </div>
    </div>
  );
}

function titleFor(code: string): string {
  switch (code) {
    case 'UNAUTHENTICATED':
      return 'Your credential is no longer accepted';
    case 'FORBIDDEN':
      return 'This credential may not do that';
    case 'NOT_FOUND':
      return 'Not found';
    case 'BAD_USER_INPUT':
      return 'The request was refused';
    case 'RATE_LIMITED':
      return 'Too many requests — wait a moment';
    case 'NETWORK_ERROR':
      return 'The server could not be reached';
    default:
      return 'Something went wrong';
  }
}
