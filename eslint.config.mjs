import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['src/core/**/*.ts'],
    rules: {
      // The core runs in the pane, the CLI, the service and jest alike: no Node, DOM or Office.
      'no-restricted-imports': [
        'error',
        {
          paths: ['fs', 'path', 'os', 'crypto', 'net', 'tls', 'dns', 'http', 'https', 'buffer'].map(
            (name) => ({ name, message: 'src/core is pure: no Node modules.' }),
          ),
          patterns: [
            { group: ['node:*'], message: 'src/core is pure: no Node modules.' },
            {
              group: ['react', 'react-dom', '@fluentui/*', '@microsoft/office-js'],
              message: 'src/core is pure: no UI or Office.',
            },
            {
              group: [
                '../cli/*',
                '../service/*',
                '../addin/*',
                '../../cli/*',
                '../../service/*',
                '../../addin/*',
              ],
              message: 'core imports nothing outside itself.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        'window',
        'document',
        'Office',
        'process',
        'Buffer',
        'require',
      ],
    },
  },
  {
    // Office.js is reached through src/addin/office only, so the pane can run without it.
    files: ['src/addin/**/*.{ts,tsx}'],
    ignores: ['src/addin/office/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'Office', message: 'Only src/addin/office touches Office.js.' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      globals: {
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
        process: 'readonly',
        URL: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // `import x = require()` gives a test the module object itself, which jest.spyOn can patch.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }] },
  },
);
