import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Operation types from the API's schema (../schema.gql, kept in sync with the server by
 * `npm run schema:generate`). Every operation in src/ is validated against it: a schema change
 * that breaks the client fails `npm run build` here.
 */
const config: CodegenConfig = {
  schema: '../schema.gql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', JSONObject: 'Record<string, unknown>' },
      },
    },
  },
  silent: true,
};

export default config;
