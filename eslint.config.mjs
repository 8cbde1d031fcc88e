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
    // NiL.JS's property table loops forever after deletions on an object of more than four
    // properties: the bundle's own code never deletes a property (README, "Running on the engine").
    files: ['connector/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "UnaryExpression[operator='delete']",
          message: 'No `delete` in the bundle: NiL.JS corrupts its property table; blank the entry instead.',
        },
      ],
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
