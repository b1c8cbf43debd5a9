import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { StrictMode, type ComponentProps } from 'react';
import { createRoot } from 'react-dom/client';
import './graphiql-page.css';

/** Runs an operation against this server's /graphql; the headers come from GraphiQL's headers editor. */
const fetcher: ComponentProps<typeof GraphiQL>['fetcher'] = async (params, options) => {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...options?.headers },
    body: JSON.stringify(params),
  });
  return response.json();
};

const EXAMPLE_QUERY = `# Put a credential in Headers (below):
#   an API key with READ: {"x-api-key": "alma_…"}
#   (npm run seed:demo prints one), or a JWT:
#   {"Authorization": "Bearer …"}
# Ctrl-Enter runs; the book icon shows the docs.
{
  viewer { kind scopes organization { name } }
  conversations(first: 5, orderBy: STARTED_AT_DESC) {
    totalCount
    edges {
      node {
        externalId channel startedAt
        analysisStatus outcome summary
        agents { agent { name } }
      }
    }
  }
}
`;

// Headers are not persisted (GraphiQL's default): a key stays in this tab only.
const EXAMPLE_HEADERS = JSON.stringify({ 'x-api-key': 'alma_… (or delete this and set "Authorization": "Bearer <JWT>")' }, null, 2);

function GraphiQLPage() {
  return (
    <div className="graphiql-page">
      <header className="graphiql-page-header">
        <strong>Alma Analytics API</strong>
        <span>
          Credentials go in the <em>Headers</em> tab: <code>{'{"x-api-key": "alma_…"}'}</code> for an API key, or{' '}
          <code>{'{"Authorization": "Bearer <JWT>"}'}</code> for a member or admin token (<code>npm run token -- admin</code>).
        </span>
        <nav>
          <a href="/">Home</a> · <a href="/app/">Dashboard</a>
        </nav>
      </header>
      <div className="graphiql-page-body">
        <GraphiQL
          fetcher={fetcher}
          defaultQuery={EXAMPLE_QUERY}
          defaultHeaders={EXAMPLE_HEADERS}
          isHeadersEditorEnabled
          shouldPersistHeaders={false}
          defaultEditorToolsVisibility="headers"
        />
      </div>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <GraphiQLPage />
  </StrictMode>,
);
