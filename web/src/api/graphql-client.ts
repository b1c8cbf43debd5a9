import type { TypedDocumentString } from '../gql/graphql';
import { credentialHeaders, type Credential } from './credential';

/** An error answered by the API (its `extensions.code`), or the failure to reach it. */
export class ApiError extends Error {
  constructor(
    message: string,
    /** The API's `extensions.code`, or NETWORK_ERROR / BAD_RESPONSE when there was no GraphQL answer. */
    readonly code: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface GraphQLBody<Data> {
  data?: Data | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/** POST /graphql with the session's credential; the document and its variables are typed by codegen. */
export async function executeOperation<Data, Variables>(
  document: TypedDocumentString<Data, Variables>,
  variables: Variables,
  credential: Credential,
  signal?: AbortSignal,
): Promise<Data> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...credentialHeaders(credential) },
      body: JSON.stringify({ query: document.toString(), variables }),
      signal: signal ?? null,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError('The server could not be reached. Check that it is running and try again.', 'NETWORK_ERROR');
  }
  const requestId = response.headers.get('x-request-id') ?? undefined;
  let body: GraphQLBody<Data>;
  try {
    body = (await response.json()) as GraphQLBody<Data>;
  } catch {
    throw new ApiError(`The server answered ${response.status} without a GraphQL response.`, 'BAD_RESPONSE', requestId);
  }
  const first = body.errors?.[0];
  if (first) throw new ApiError(first.message, first.extensions?.code ?? 'INTERNAL_SERVER_ERROR', requestId);
  if (!body.data) throw new ApiError(`The server answered ${response.status} without data.`, 'BAD_RESPONSE', requestId);
  return body.data;
}
