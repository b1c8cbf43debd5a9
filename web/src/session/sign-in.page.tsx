import { useState, type FormEvent } from 'react';
import { parseCredential, type Credential } from '../api/credential';
import { ApiError, executeOperation } from '../api/graphql-client';
import type { ViewerQuery as ViewerData } from '../gql/graphql';
import type { Viewer } from './session';
import { ViewerQuery } from './session.queries';

export interface SignInProblem {
  code: string;
  title: string;
  detail: string;
}

/** Who the credential is, or why the dashboard can't use it. */
export async function verifyCredential(credential: Credential): Promise<{ viewer: Viewer } | { problem: SignInProblem }> {
  let data: ViewerData;
  try {
    data = await executeOperation(ViewerQuery, {}, credential);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.code === 'UNAUTHENTICATED') {
      return {
        problem: {
          code: error.code,
          title: credential.kind === 'API_KEY' ? 'This API key was not accepted' : 'This token was not accepted',
          detail:
            credential.kind === 'API_KEY'
              ? `${error.message}. Ask an administrator of your organization for a new key with the READ scope.`
              : `${error.message}. Mint a new member token for an active organization.`,
        },
      };
    }
    return { problem: { code: error.code, title: 'Could not sign in', detail: error.message } };
  }
  const { viewer } = data;
  if (!viewer.organization) {
    return {
      problem: {
        code: 'FORBIDDEN',
        title: 'This is a platform admin token',
        detail: 'The dashboard shows one organization: sign in with an API key of that organization (READ scope) or a member token.',
      },
    };
  }
  if (viewer.organization.status !== 'ACTIVE') {
    return { problem: { code: 'FORBIDDEN', title: 'This organization is inactive', detail: `${viewer.organization.name} is inactive: its credentials no longer read data.` } };
  }
  if (!viewer.scopes.includes('READ')) {
    return {
      problem: {
        code: 'FORBIDDEN',
        title: 'This key cannot read',
        detail: `It has the ${viewer.scopes.join(', ') || 'no'} scope${viewer.scopes.length === 1 ? '' : 's'}; the dashboard needs a key with READ.`,
      },
    };
  }
  return { viewer: { kind: viewer.kind, scopes: viewer.scopes, organizationName: viewer.organization.name, keyName: viewer.apiKey?.name ?? null } };
}

export function SignInPage({ onSignedIn, initialProblem }: { onSignedIn: (credential: Credential, viewer: Viewer) => void; initialProblem?: SignInProblem | null }) {
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<SignInProblem | null>(initialProblem ?? null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const credential = parseCredential(value);
    if (!credential) {
      setProblem({ code: 'BAD_USER_INPUT', title: 'That is not a credential', detail: 'Paste an API key (it starts with alma_) or a member JWT.' });
      return;
    }
    setPending(true);
    setProblem(null);
    try {
      const result = await verifyCredential(credential);
      if ('problem' in result) setProblem(result.problem);
      else onSignedIn(credential, result.viewer);
    } finally {
      setPending(false);
    }
  }

  return (
    <main className="sign-in">
      <div className="sign-in-panel">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" />
          Alma Analytics
        </div>
        <h1>Sign in to your dashboard</h1>
        <p className="muted">Paste an API key with the READ scope or a member token. It stays in this browser tab only and is forgotten when you close it.</p>
        <form onSubmit={submit} className="sign-in-form">
          <label className="field">
            <span className="field-label">API key or member token</span>
            <input
              type="password"
              name="credential"
              autoComplete="off"
              spellCheck={false}
              placeholder="alma_… or eyJhbGciOi…"
              value={value}
              onChange={(event) => setValue(event.target.value)}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? 'sign-in-problem' : undefined}
              autoFocus
            />
          </label>
          <button type="submit" className="button button-primary button-wide" disabled={pending || !value.trim()}>
            {pending ? 'Checking…' : 'Sign in'}
          </button>
        </form>
        {problem ? (
          <div className="sign-in-problem" role="alert" id="sign-in-problem" data-testid="sign-in-problem">
            <p className="state-title">
              <span className="code-badge" data-testid="error-code">
                {problem.code}
              </span>
              {problem.title}
            </p>
            <p className="state-detail">{problem.detail}</p>
          </div>
        ) : null}
        <p className="sign-in-help muted small">
          No key yet? With the server running, <code>npm run seed:demo</code> creates a demo organization and prints a key and a member token.
        </p>
      </div>
    </main>
  );
}
