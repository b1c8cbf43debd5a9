import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TypedDocumentString } from '../gql/graphql';
import { useSession } from '../session/session';
import { executeOperation, type ApiError } from './graphql-client';

/** A typed query with the session's credential; the previous answer stays on screen while a new one loads. */
export function useApiQuery<Data, Variables>(
  document: TypedDocumentString<Data, Variables>,
  variables: Variables,
  options: { enabled?: boolean; refetchInterval?: (data: Data | undefined) => number | false } = {},
) {
  const { credential } = useSession();
  const { refetchInterval } = options;
  return useQuery<Data, ApiError>({
    queryKey: [document.toString(), variables],
    queryFn: ({ signal }) => executeOperation(document, variables, credential, signal),
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
    ...(refetchInterval ? { refetchInterval: (query) => refetchInterval(query.state.data) } : {}),
  });
}

/** A typed mutation; every cached query is refetched once it succeeds. */
export function useApiMutation<Data, Variables>(document: TypedDocumentString<Data, Variables>) {
  const { credential } = useSession();
  const queryClient = useQueryClient();
  return useMutation<Data, ApiError, Variables>({
    mutationFn: (variables) => executeOperation(document, variables, credential),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
