import type { CodegenConfig } from '@graphql-codegen/cli';

const scalars = { DateTime: 'string', UUID: 'string', JSON: 'unknown' };

/**
 * Typed operations from the committed schema.graphql (`npm run codegen`; CI fails when either
 * output is stale):
 * - test/generated/operations.ts: a TypedDocumentNode per operation in test/operations/*.graphql,
 *   which the tests use and any TypeScript client can copy;
 * - web/src/gql/: the client preset for the dashboard's `graphql(...)` documents, as typed strings
 *   (no GraphQL runtime in the browser), so a schema change that breaks the app breaks the type-check.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  generates: {
    'test/generated/operations.ts': {
      documents: ['test/operations/**/*.graphql'],
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        scalars,
        enumsAsTypes: true,
        useTypeImports: true,
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
      },
    },
    'web/src/gql/': {
      documents: ['web/src/**/*.{ts,tsx}', '!web/src/gql/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        scalars,
        enumsAsTypes: true,
        useTypeImports: true,
        documentMode: 'string',
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
      },
    },
  },
};

export default config;
