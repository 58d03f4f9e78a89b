import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'migrations/', 'scratch/', 'test-results/', 'bench/results/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    // A module reads another module's data through its service, views or index, never its tables
    // or queries (issue 8, item 4). Type-only imports (e.g. `type Tenant`) are allowed, and schema
    // files may reference another module's tables for foreign keys.
    files: ['src/modules/**/*.ts', 'src/modules/**/*.tsx'],
    ignores: ['src/modules/*/schema.ts', 'src/modules/*/schema-*.ts', '**/*.test.ts', '**/*.test.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../*/schema.ts', '../*/queries.ts', '../../modules/*/schema.ts', '../../modules/*/queries.ts'],
              allowTypeImports: true,
              message: "Read another module's data through its service.ts, views.ts or index.ts, not its schema or queries.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
