import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'build/**',
      'dist/**',
      'cdktf.out/**',
      'reports/**',
      'docs/api/**',
      'coverage/**',
      'vendor/**',
      '.stryker/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@cdktf/provider-azurerm',
              message: 'Import from a deep path: @cdktf/provider-azurerm/lib/<resource>.',
            },
            {
              name: '@cdktf/provider-azuread',
              message: 'Import from a deep path: @cdktf/provider-azuread/lib/<resource>.',
            },
            {
              name: '@cdktf/provider-helm',
              message: 'Import from a deep path: @cdktf/provider-helm/lib/<resource>.',
            },
            {
              name: '@cdktf/provider-kubernetes',
              message: 'Import from a deep path: @cdktf/provider-kubernetes/lib/<resource>.',
            },
            {
              name: '@cdktf/provider-tls',
              message: 'Import from a deep path: @cdktf/provider-tls/lib/<resource>.',
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests mutate loosely typed fixtures on purpose.
    files: ['test/**/*.ts', 'examples/**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: {
      globals: {
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
