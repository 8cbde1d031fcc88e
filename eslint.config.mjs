import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // The pure core and the connector must not reach the host directly: only connector/platform may.
    files: ['connector/**/*.ts'],
    ignores: ['connector/platform/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        'setTimeout',
        'clearTimeout',
        'fetch',
        'console',
        'process',
        'globalThis',
        'Set',
        'WeakMap',
      ],
    },
  },
);
