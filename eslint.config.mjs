import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // .stryker-tmp: the sandboxes of a running `npm run mutate`; reports: its HTML reports.
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', '.stryker-tmp/**', 'reports/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['src/catalog/assets/*.js'],
    languageOptions: { sourceType: 'script', globals: { document: 'readonly', window: 'readonly', URLSearchParams: 'readonly' } },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' } },
  },
);
