import type { Routes } from '../server/http-server.js';

/** `GET /`: where to go from here, for someone who opened the server's address in a browser. */
export function landingPageRoutes({ graphiqlEnabled }: { graphiqlEnabled: boolean }): Routes {
  const links = [
    graphiqlEnabled ? '<li><a href="/graphql">GraphiQL</a>: explore and run the GraphQL API (<code>POST /graphql</code>) with an API key or a token</li>' : '',
    '<li><a href="/app/">Dashboard</a>: the analytics web app</li>',
    '<li><a href="/healthz">/healthz</a> and <a href="/readyz">/readyz</a>: health checks</li>',
  ].join('');
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Alma Analytics</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}code{background:#eef1f6;padding:0 .25rem;border-radius:3px}</style></head><body><h1>Alma Analytics</h1><p>Post-conversation analytics over one GraphQL API.</p><ul>${links}</ul></body></html>`;
  return {
    'GET /': async (_request, response) => {
      response.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-cache',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        'x-content-type-options': 'nosniff',
      });
      response.end(body);
    },
  };
}
