// ESLint flat config: type-checked typescript-eslint rules over src/, test/ and the dashboard
// (client/, with React's rules of hooks), Prettier owns formatting.
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.data/**',
      'client/dist/**',
      'client/node_modules/**',
      'client/src/gql/**',
      'tools/**',
      'bench/results/**',
      'eslint.config.mjs',
      // mongosh scripts (scripts/shard-collections.js): run by mongosh, not part of any tsconfig.
      'scripts/**/*.js',
      'jest.config.js',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message:
            'Read configuration through AppConfig (src/config); only the config loader reads process.env.',
        },
      ],
    },
  },
  {
    files: [
      'src/config/load-config.ts',
      'src/graphql-schema/generate-schema.ts',
      'src/main.ts',
      // Runs before the config loader: tracing must patch libraries before main.ts loads them.
      'src/tracing/register.ts',
      'test/**/*.ts',
      'scripts/**/*.ts',
      'bench/**/*.ts',
      'src/local-engines/**/*.ts',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['src/ml/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', 'mongoose', 'mongodb', 'bull', 'ioredis'],
              message:
                'src/ml is plain functions with no framework imports (no Nest, database or queue clients): see DESIGN.md.',
            },
            {
              group: ['@/*', '!@/ml', '!@/ml/**'],
              message:
                'src/ml is plain functions with no framework imports: it may import only from @/ml/*, see DESIGN.md.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['client/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      'react-hooks/exhaustive-deps': 'error',
      // The dashboard is not the server: it has no AppConfig (Vite's config reads its env).
      'no-restricted-syntax': 'off',
    },
  },
  {
    files: [
      'test/**/*.ts',
      'src/**/*.spec.ts',
      'client/src/**/*.test.{ts,tsx}',
      'client/src/test/**',
    ],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  prettier,
);
