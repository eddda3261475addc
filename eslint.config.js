import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'docs/', 'bench/results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src/protocol/**/*.ts'],
    rules: {
      // The pure core runs in the panel, the CLI and tests: no browser or Node API may creep in.
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', 'webextension-polyfill', 'preact', 'preact/*', '../*/**', '!../protocol/**'] },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'chrome', 'browser', 'Buffer', 'process'],
    },
  },
);
