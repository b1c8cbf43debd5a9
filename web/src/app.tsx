import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { createHashRouter, Navigate, RouterProvider } from 'react-router';
import { clearCredential, loadCredential, saveCredential, type Credential } from './api/credential';
import { AppLayout } from './layout/app-layout';
import { SessionProvider, type Viewer } from './session/session';
import { SignInPage, verifyCredential, type SignInProblem } from './session/sign-in.page';
import { Loading } from './ui/states';

// Hash routes (/app/#/conversations/…): the server serves one page, every view is a client route.
// Each page is its own chunk, loaded when first visited (the charts library only with the pages that draw).
const router = createHashRouter([
  {
    element: <AppLayout />,
    HydrateFallback: () => <Loading label="Loading…" />,
    children: [
      { index: true, element: <Navigate to="/overview" replace /> },
      { path: 'overview', lazy: async () => ({ Component: (await import('./overview/overview.page')).OverviewPage }) },
      { path: 'agents', lazy: async () => ({ Component: (await import('./agents/agents.page')).AgentsPage }) },
      { path: 'conversations', lazy: async () => ({ Component: (await import('./conversations/conversations.page')).ConversationsPage }) },
      { path: 'conversations/:id', lazy: async () => ({ Component: (await import('./conversations/conversation-detail.page')).ConversationDetailPage }) },
      { path: 'metrics', lazy: async () => ({ Component: (await import('./metrics/metric-explorer.page')).MetricExplorerPage }) },
      { path: '*', element: <Navigate to="/overview" replace /> },
    ],
  },
]);

type State = { status: 'checking' } | { status: 'signed-out'; problem: SignInProblem | null } | { status: 'signed-in'; credential: Credential; viewer: Viewer };

export function App() {
  const [state, setState] = useState<State>(() => (loadCredential() ? { status: 'checking' } : { status: 'signed-out', problem: null }));
  const queryClient = useMemo(() => new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, staleTime: 30_000 } } }), [state.status]);

  // A credential kept in this tab's session is checked again on reload.
  useEffect(() => {
    if (state.status !== 'checking') return;
    const credential = loadCredential();
    if (!credential) {
      setState({ status: 'signed-out', problem: null });
      return;
    }
    let cancelled = false;
    verifyCredential(credential).then(
      (result) => {
        if (cancelled) return;
        if ('problem' in result) {
          clearCredential();
          setState({ status: 'signed-out', problem: result.problem });
        } else setState({ status: 'signed-in', credential, viewer: result.viewer });
      },
      () => !cancelled && setState({ status: 'signed-out', problem: { code: 'NETWORK_ERROR', title: 'The server could not be reached', detail: 'Check that it is running and reload.' } }),
    );
    return () => {
      cancelled = true;
    };
  }, [state.status]);

  if (state.status === 'checking') return <Loading label="Checking your session…" />;
  if (state.status === 'signed-out') {
    return (
      <SignInPage
        initialProblem={state.problem}
        onSignedIn={(credential, viewer) => {
          saveCredential(credential);
          setState({ status: 'signed-in', credential, viewer });
        }}
      />
    );
  }
  const session = {
    credential: state.credential,
    viewer: state.viewer,
    signOut: () => {
      clearCredential();
      queryClient.clear();
      setState({ status: 'signed-out', problem: null });
    },
  };
  return (
    <SessionProvider value={session}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </SessionProvider>
  );
}
