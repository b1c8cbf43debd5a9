import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed operations from the committed schema.graphql: `npm run codegen` writes
 * test/generated/operations.ts (TypedDocumentNode per operation in test/operations/*.graphql),
 * which the tests use and any TypeScript client can copy. CI fails when it is stale.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['test/operations/**/*.graphql'],
  generates: {
    'test/generated/operations.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        scalars: { DateTime: 'string', UUID: 'string', JSON: 'unknown' },
        enumsAsTypes: true,
        useTypeImports: true,
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
      },
    },
  },
};

export default config;
