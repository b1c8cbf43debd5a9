import { createContext, useContext } from 'react';
import type { Credential } from '../api/credential';
import type { ApiKeyScope } from '../gql/graphql';

export interface Viewer {
  kind: string;
  scopes: ApiKeyScope[];
  organizationName: string;
  /** The API key's name, for API-key sessions */
  keyName: string | null;
}

export interface Session {
  credential: Credential;
  viewer: Viewer;
  signOut(): void;
}

const SessionContext = createContext<Session | undefined>(undefined);
export const SessionProvider = SessionContext.Provider;

/** The signed-in session; the pages below the sign-in gate always have one. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the signed-in app');
  return session;
}
